from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

# Every stored link is a web address: a browser opens it as a page, never runs it
# (javascript:, vbscript:) or renders it in place (data:). URLField alone would allow FTP.
WEB_SCHEMES = ("http", "https")

_web_url = URLValidator(schemes=list(WEB_SCHEMES), message="Enter a web address (http or https).")


def validate_web_url(value):
    """The one rule for a stored link, used by the models, the importer and ``same_as``.

    A function, not the URLValidator itself: Django REST framework drops URLValidator
    instances from a URLField's serializer field (it brings its own, which allows FTP), but
    keeps other validators."""
    _web_url(value)


def has_web_scheme(value):
    """Whether ``value`` starts with a web scheme and ``://``, in any case: what the database
    constraints check and what templates link by. Nothing may come before the scheme, not
    even a space, which a browser would strip (`` javascript:`` runs)."""
    return isinstance(value, str) and value.lower().startswith(
        tuple(f"{scheme}://" for scheme in WEB_SCHEMES)
    )


def validate_url_list(value):
    """sameAs links are stored as a JSON list; each item must be an http(s) URL."""
    if not isinstance(value, list):
        raise ValidationError("Enter a list of URLs.")
    for item in value:
        if not isinstance(item, str):
            raise ValidationError("Each link must be a URL, not %(item)r.", params={"item": item})
        try:
            validate_web_url(item)
        except ValidationError as exc:
            raise ValidationError(
                "%(item)s is not a web address (http or https).", params={"item": item}
            ) from exc
