"""The open-data dump: every public claim as gzip CSV and ClaimReview JSON-LD, in files.

``manage.py export_dump`` (nightly, from cron) writes them into ``OPEN_DATA_DIR`` with the
API's export generators (``claims.api.exports``), so a file is what the API's unfiltered
export gave at that moment; readers download them from ``/data/<name>``, a stable address, and
the page ``/data/`` says when they were made and under which licence. A file is written
under a temporary name beside its final one and renamed over it, so a download never sees a
half-written file, and a failed run leaves the previous dump in place.
"""

import datetime as dt
import gzip
import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, HttpResponseNotFound
from django.shortcuts import render
from django.utils.http import http_date
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from claims.api.exports import claimreview_stream, csv_related, csv_stream
from claims.claimreview import reviewable
from claims.models import Claim

CSV = "claims.csv.gz"
CLAIMREVIEW = "claimreview.json.gz"
README = "README.txt"
DUMP_FILES = {
    CSV: "Every public claim, one CSV row each (published and retracted, with its status), "
    "the columns of the API's CSV export.",
    CLAIMREVIEW: "Every published claim as a JSON array of schema.org ClaimReview objects, "
    "as the API's ClaimReview export gives them.",
}


def directory():
    return Path(settings.OPEN_DATA_DIR)


def licence():
    """(name, URL) of the licence the dump is published under (``OPEN_DATA_LICENSE``)."""
    return settings.OPEN_DATA_LICENSE, settings.OPEN_DATA_LICENSE_URL


def write_atomically(path, chunks, *, gzipped=True):
    """Write ``chunks`` (bytes) to ``path``: into a temporary file in the same directory,
    then renamed over ``path`` (atomic on one file system). On any error the temporary file
    is removed and ``path`` left as it was."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as raw:
            name = path.name.removesuffix(".gz")
            with gzip.GzipFile(name, "wb", fileobj=raw) if gzipped else raw as target:
                for chunk in chunks:
                    target.write(chunk)
        os.chmod(temporary, 0o644)  # mkstemp makes it private; the web server serves it
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_dump(target=None):
    """Write the dump's files and its README into ``target`` (``OPEN_DATA_DIR`` by default);
    return {file name: number of claims}."""
    target = Path(target or directory())
    public = Claim.objects.published()
    reviewed = reviewable(Claim.objects)
    write_atomically(target / CSV, csv_stream(csv_related(public)))
    write_atomically(
        target / CLAIMREVIEW, claimreview_stream(reviewed.with_related().with_appearances())
    )
    counts = {CSV: public.count(), CLAIMREVIEW: reviewed.count()}
    write_atomically(target / README, [readme(counts).encode()], gzipped=False)
    return counts


def readme(counts):
    name, url = licence()
    made = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"{settings.SITE_NAME}: open data",
        "",
        f"Generated {made} from {settings.SITE_URL}.",
        f"Licence: {name}, {url}",
        f"Attribute to {settings.SITE_NAME} ({settings.SITE_URL}).",
        "",
        *(f"{file} ({counts[file]:,} claims): {about}" for file, about in DUMP_FILES.items()),
        "",
        "The same data, filtered, and documented: the API at /api/v1/ (see /api/docs/).",
    ]
    return "\n".join(lines) + "\n"


@require_safe
def open_data_page(request):
    """What the dump holds, when it was made, and its licence."""
    files = []
    for name, about in DUMP_FILES.items():
        path = directory() / name
        if path.exists():
            stat = path.stat()
            made = dt.datetime.fromtimestamp(stat.st_mtime, tz=dt.UTC)
            files.append({"name": name, "about": about, "size": stat.st_size, "made": made})
    name, url = licence()
    context = {"files": files, "licence_name": name, "licence_url": url, "all": DUMP_FILES}
    return render(request, "claims/open_data.html", context)


@require_safe
@cache_control(public=True, max_age=3600)
def open_data_file(request, name):
    """One of the dump's files, as it was last written. Streamed from disk (the public cache
    keeps no streamed response), with Last-Modified for conditional requests."""
    if name not in (*DUMP_FILES, README):
        return HttpResponseNotFound(
            f"No such file. The open data is {', '.join(DUMP_FILES)} and {README}.\n",
            content_type="text/plain; charset=utf-8",
        )
    path = directory() / name
    try:
        file = path.open("rb")
    except FileNotFoundError:
        return HttpResponseNotFound(
            f"{name} has not been generated yet: the open-data dump is written nightly "
            "(manage.py export_dump). Until then, the API's exports give the same data: "
            "/api/v1/claims/csv/ and /api/v1/claims/claimreview/.\n",
            content_type="text/plain; charset=utf-8",
        )
    response = FileResponse(file, as_attachment=name != README, filename=name)
    response["Last-Modified"] = http_date(os.fstat(file.fileno()).st_mtime)
    return response
