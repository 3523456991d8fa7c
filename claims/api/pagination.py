from django.conf import settings
from rest_framework.pagination import PageNumberPagination

from claims.pagination import IdsFirstPaginator


class ApiPagination(PageNumberPagination):
    """Pages with a total ``count`` and ``next``/``previous`` links; clients may ask for
    ``page_size`` up to ``API_MAX_PAGE_SIZE`` so one request cannot ask for everything (the
    CSV and ClaimReview exports are the way to get a whole filtered list). A page loads its
    rows by id (``claims.pagination``); an unfiltered list's count is kept per cache
    generation (``GatedViewSet.unfiltered_count``)."""

    page_size_query_param = "page_size"

    def paginate_queryset(self, queryset, request, view=None):
        # The page's rows are loaded by id from the view's queryset before its filters (a
        # search's among them), with everything the serializer shows.
        self.rows = view.get_queryset() if view is not None else None
        known = getattr(view, "unfiltered_count", None)
        self.known_count = known() if known else None
        return super().paginate_queryset(queryset, request, view)

    def django_paginator_class(self, queryset, page_size):
        return IdsFirstPaginator(queryset, page_size, rows=self.rows, count=self.known_count)

    @property
    def max_page_size(self):
        return settings.API_MAX_PAGE_SIZE
