from django.conf import settings


def site(request):
    """The publishing organization's name, for titles and footers on every page."""
    return {"site_name": settings.SITE_NAME}
