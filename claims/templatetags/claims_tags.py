import html
import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import conditional_escape, format_html, strip_tags
from django.utils.safestring import SafeData, mark_safe

from claims.quotes import in_quotation_marks
from sources.validators import has_web_scheme

register = template.Library()

# As django.utils.html.json_script: nothing in the data can close the script element.
# (str.replace, three times: several times faster than str.translate with a mapping.)
_SCRIPT_ESCAPES = ((">", "\\u003E"), ("<", "\\u003C"), ("&", "\\u0026"))


@register.filter
def json_ld(data):
    """``data`` as a JSON-LD script element (json_script only makes application/json)."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    for character, escape in _SCRIPT_ESCAPES:
        text = text.replace(character, escape)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


@register.filter
def web_url(value):
    """``value`` if it is a web address (http or https), else "": every link to a stored
    address goes through it, so that a page never links to a script (``javascript:``) even
    if one got past the database's constraints; with "", templates render no link."""
    return value if has_web_scheme(value) else ""


@register.filter(needs_autoescape=True)
def quoted(value, autoescape=True):
    """``value`` in quotation marks, unless it already starts or ends with one
    (``quotes.in_quotation_marks``). ``value`` may be safe HTML (a highlighted snippet): its
    text decides, its markup is kept."""
    text = html.unescape(strip_tags(value)) if isinstance(value, SafeData) else str(value)
    if in_quotation_marks(text) == text:
        return value
    value = conditional_escape(value) if autoescape else value
    return mark_safe(f"\u201c{value}\u201d")


@register.simple_tag
def page_address(query, number):
    """The address of page ``number`` of a list whose other parameters are ``query`` (an
    encoded query string): relative, so it stays on the list's own path. Pagination links use
    it for their ``href`` and, with htmx, the same for their ``hx-get``."""
    return f"?{query}&page={number}" if query else f"?page={number}"
