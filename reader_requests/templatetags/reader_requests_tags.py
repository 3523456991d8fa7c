"""For pages of other apps that mention readers' requests (``/corrections/``): the claims app
does not import this one."""

from django import template

from reader_requests.models import ReportedError

register = template.Library()


@register.simple_tag
def reported_error_counts():
    """{"received": n, "resolved": n}: readers' error reports on public fact checks."""
    return ReportedError.objects.counts()
