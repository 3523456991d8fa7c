from django import template
from django.utils.safestring import mark_safe
from markdown_it import MarkdownIt

from trust.people import byline_name

register = template.Library()

# CommonMark with raw HTML off: an editor's "<script>" is shown as text, and markdown-it
# refuses javascript:, vbscript: and data: links itself.
_markdown = MarkdownIt("commonmark", {"html": False})


@register.filter
def markdown(text):
    return mark_safe(_markdown.render(text or ""))


@register.inclusion_tag("trust/includes/byline_name.html")
def staff_name(step):
    return {"person": byline_name(step)}
