"""Error responses Django itself gives (handler400, 403, 404, 500 in config/urls.py): the
site's HTML pages, and under /api/ the JSON that Django REST framework's errors have,
``{"detail": "..."}``. DRF answers the errors its views raise; these are the ones raised
before a view runs or that no view catches: an address no route matches (/api/v1/nope/,
/api/v1/claims/abc/), a bad Host header, a body over DATA_UPLOAD_MAX_MEMORY_SIZE, a crash.
A client of the API then reads every error the same way."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.views import defaults
from rest_framework import exceptions


def is_api(request):
    return request.path.startswith("/api/")


def api_error(status, detail):
    return JsonResponse({"detail": str(detail)}, status=status)


def bad_request(request, exception):
    if not is_api(request):
        return defaults.bad_request(request, exception)
    if isinstance(exception, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        return api_error(413, f"Request body too large: at most {limit} bytes are accepted.")
    return api_error(400, exceptions.ParseError.default_detail)


def permission_denied(request, exception):
    if not is_api(request):
        return defaults.permission_denied(request, exception)
    return api_error(403, exceptions.PermissionDenied.default_detail)


def page_not_found(request, exception):
    if not is_api(request):
        return defaults.page_not_found(request, exception)
    return api_error(404, exceptions.NotFound.default_detail)


def server_error(request):
    if not is_api(request):
        return defaults.server_error(request)
    return api_error(500, exceptions.APIException.default_detail)
