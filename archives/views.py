"""Readers' view of an archived copy: a page with a banner (when, from where, the hash) that
frames the copy, the copy itself served inert, and the WARC file to download.

The copy is locked twice. ``content.inert_html`` strips everything that runs or fetches;
its response then forbids it anyway: ``Content-Security-Policy: sandbox`` (no scripts, no
forms, an opaque origin that cannot read Counterclaim's cookies or pages) with
``default-src 'none'`` (no request at all but data: images and the inline style added
here), and the frame that shows it is sandboxed too. So a page the sanitizer misjudges still
cannot run a script or make a request to the original site from a reader's browser.

Only copies of public sources are public (``Snapshot.objects.published()``); editors
preview any taken copy from the admin, through the same views.
"""

from django.http import FileResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.csp import CSP, build_policy
from django.views.decorators.clickjacking import xframe_options_sameorigin

from archives import content
from archives.models import Snapshot

# No request but data: images and this response's own inline style; no script, form,
# plugin or navigation of the page that frames it; only Counterclaim may frame it.
INERT_POLICY = {
    "sandbox": True,
    "default-src": [CSP.NONE],
    "img-src": ["data:"],
    "style-src": [CSP.UNSAFE_INLINE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.NONE],
    "frame-ancestors": [CSP.SELF],
}
INERT_HEADER = build_policy(INERT_POLICY)


def snapshot(request, pk, *, queryset=None, url_names=("archives:page", "archives:warc")):
    """The banner and the framed copy (or, for a document not shown, the WARC to download)."""
    found = get_object_or_404(
        (queryset or Snapshot.objects.published()).select_related("source"), pk=pk
    )
    page_url, warc_url = (reverse(name, args=[found.pk]) for name in url_names)
    return render(
        request,
        "archives/snapshot.html",
        {"snapshot": found, "page_url": page_url, "warc_url": warc_url},
    )


@xframe_options_sameorigin
def page(request, pk, *, queryset=None):
    """The archived page as inert HTML, for the frame of ``snapshot``."""
    found = get_object_or_404(queryset or Snapshot.objects.published(), pk=pk)
    if not found.is_shown:
        response = render(request, "archives/not_shown.html", {"snapshot": found}, status=404)
    else:
        response = render(
            request,
            "archives/page.html",
            {"snapshot": found, "html": content.inert_html(found.page())},
        )
    # A header of the response itself, not csp_override's attribute: the public cache keeps
    # headers only (claims/cache.py), and the CSP middleware leaves a header that is set.
    # Always enforced, whatever CSP_REPORT_ONLY says for the rest of the site.
    # The header's name as a plain str: WSGI servers refuse an enum member (wsgiref does).
    response.headers[CSP.HEADER_ENFORCE.value] = INERT_HEADER
    return response


def warc(request, pk, *, queryset=None):
    """The WARC file as stored: its SHA-256 is the one the banner shows."""
    found = get_object_or_404(queryset or Snapshot.objects.published(), pk=pk)
    response = FileResponse(
        found.warc.open("rb"),
        as_attachment=True,
        filename=f"counterclaim-snapshot-{found.pk}.warc.gz",
        content_type="application/warc",
    )
    # The file is the bytes the hash is of: no compression on the way out.
    response.headers["Content-Encoding"] = "identity"
    return response
