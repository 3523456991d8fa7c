import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from sources.validators import has_web_scheme

register = template.Library()

# As django.utils.html.json_script: nothing in the data can close the script element.
_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def json_ld(data):
    """``data`` as a JSON-LD script element (json_script only makes application/json)."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


@register.filter
def web_url(value):
    """``value`` if it is a web address (http or https), else "": every link to a stored
    address goes through it, so that a page never links to a script (``javascript:``) even
    if one got past the database's constraints; with "", templates render no link."""
    return value if has_web_scheme(value) else ""
