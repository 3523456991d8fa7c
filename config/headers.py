"""Response headers that Django does not send itself."""

from django.conf import settings


class PermissionsPolicyMiddleware:
    """Send ``Permissions-Policy``, turning off each feature in settings.PERMISSIONS_POLICY_DISABLED
    for the page and anything it embeds: a script that got in could not ask for the camera,
    the reader's location or a payment."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(f"{feature}=()" for feature in settings.PERMISSIONS_POLICY_DISABLED)

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.header)
        return response
