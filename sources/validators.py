from django.core.exceptions import ValidationError
from django.core.validators import URLValidator


def validate_url_list(value):
    """sameAs links are stored as a JSON list; each item must be an http(s) URL."""
    if not isinstance(value, list):
        raise ValidationError("Enter a list of URLs.")
    validate = URLValidator(schemes=["http", "https"])
    for item in value:
        if not isinstance(item, str):
            raise ValidationError("Each link must be a URL, not %(item)r.", params={"item": item})
        try:
            validate(item)
        except ValidationError as exc:
            raise ValidationError("%(item)s is not a valid URL.", params={"item": item}) from exc
