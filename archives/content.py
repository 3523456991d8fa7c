"""What Counterclaim makes of an archived page: its main text, and an inert copy to show.

Which pages get which (docs/data-model.md, "Snapshots"): HTML and plain text have their main
text extracted and are shown; other documents (PDF, office files, images) are kept in the
WARC only, for download, since rendering them would mean serving a file from the original
site under Counterclaim's name.
"""

import codecs

import nh3
import trafilatura
from trafilatura.utils import decode_file

HTML_TYPES = {"text/html", "application/xhtml+xml"}
TEXT_TYPES = {"text/plain"}

# Attributes that make a browser fetch something (an image, a frame, a style sheet, a
# font) or go somewhere. Only data: images and links within the page stay; everything else
# would be a request to the original site (or anywhere) from a reader's browser.
_URL_ATTRIBUTES = {"src", "srcset", "href", "poster", "background", "cite", "longdesc"}


def is_shown(content_type):
    return content_type in HTML_TYPES | TEXT_TYPES


def decode(page):
    """The page's body as text: in the charset its Content-Type names, else as guessed from
    the document (trafilatura's detection, which reads <meta charset> too)."""
    if page.charset:
        try:
            codecs.lookup(page.charset)
            return page.body.decode(page.charset, "replace")
        except LookupError:
            pass
    return decode_file(page.body)


def main_text(page):
    """The page's main text (for quote checks): the article without menus, footers and
    comments for HTML, the whole text for plain text, nothing for other documents."""
    if page.content_type in TEXT_TYPES:
        return decode(page).strip()
    if page.content_type in HTML_TYPES:
        text = trafilatura.extract(decode(page), url=page.url, include_comments=False)
        return (text or "").strip()
    return ""


def _keep_attribute(tag, attribute, value):
    if attribute not in _URL_ATTRIBUTES:
        return value
    if tag == "a" and attribute == "href" and value.startswith("#"):
        return value
    if tag == "img" and attribute == "src" and value.startswith("data:image/"):
        return value
    return None


def inert_html(page):
    """The page as HTML that can do nothing: no scripts, styles, frames, forms or event
    handlers (nh3, the Rust sanitizer ammonia's binding), and no address that a browser
    would fetch. The response that serves it also forbids all of that by its
    Content-Security-Policy (``archives.views``); this is the first of the two locks."""
    if page.content_type in TEXT_TYPES:
        return nh3.clean(f"<pre>{nh3.clean_text(decode(page))}</pre>")
    return nh3.clean(
        decode(page),
        clean_content_tags={"script", "style", "template", "noscript", "title"},
        attribute_filter=_keep_attribute,
        url_schemes={"data"},
        link_rel=None,
        strip_comments=True,
    )
