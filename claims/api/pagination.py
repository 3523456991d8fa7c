from django.conf import settings
from rest_framework.pagination import PageNumberPagination


class ApiPagination(PageNumberPagination):
    """Pages with a total ``count`` and ``next``/``previous`` links; clients may ask for
    ``page_size`` up to ``API_MAX_PAGE_SIZE`` so one request cannot ask for everything (the
    CSV and ClaimReview exports are the way to get a whole filtered list)."""

    page_size_query_param = "page_size"

    @property
    def max_page_size(self):
        return settings.API_MAX_PAGE_SIZE
