from django.conf import settings
from rest_framework import serializers
from rest_framework.pagination import PageNumberPagination

from claims.pagination import IdsFirstPaginator


def page_size_field(**kwargs):
    """How many results a page may hold, for every paginated endpoint (the lists'
    ``page_size``, claims:search's ``pageSize``): one rule, ``API_MAX_PAGE_SIZE``, and a
    larger value is a 400 that names it, not a smaller page than asked for. Built when
    validating, so that the setting is read as it is then."""
    maximum = settings.API_MAX_PAGE_SIZE
    return serializers.IntegerField(
        min_value=1,
        max_value=maximum,
        error_messages={
            "max_value": f"At most {maximum} results a page: ask for the next page for more "
            "(a whole filtered list: the CSV or ClaimReview export)."
        },
        **kwargs,
    )


class ApiPagination(PageNumberPagination):
    """Pages with a total ``count`` and ``next``/``previous`` links; clients may ask for
    ``page_size`` up to ``API_MAX_PAGE_SIZE`` so one request cannot ask for everything (the
    CSV and ClaimReview exports are the way to get a whole filtered list). A page loads its
    rows by id (``claims.pagination``); an unfiltered list's count is kept per version
    of the cached lists (``GatedViewSet.unfiltered_count``)."""

    page_size_query_param = "page_size"

    @property
    def page_size_query_description(self):
        return f"Results per page, 1 to {settings.API_MAX_PAGE_SIZE}; more is a 400."

    def get_page_size(self, request):
        value = request.query_params.get(self.page_size_query_param)
        if value is None:
            return self.page_size
        try:
            return page_size_field().run_validation(value)
        except serializers.ValidationError as error:
            raise serializers.ValidationError({self.page_size_query_param: error.detail}) from error

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
