"""ETag and If-Match for the rows that carry a version (claims, evidence, sources): the API's
side of "no lost edits" (``sources.concurrency``). A read answers with the row's version as
its ETag; a write to an existing row must send it back in If-Match, so a client that read an
older version is told what changed instead of overwriting it."""

from rest_framework import status
from rest_framework.exceptions import APIException

from sources.concurrency import Versioned, changes_since


class PreconditionRequired(APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = (
        "Send the ETag of the version you are changing in an If-Match header: GET the row, "
        "then write with If-Match set to its ETag."
    )
    default_code = "precondition_required"


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_code = "precondition_failed"


def etag(row):
    return f'"{row.version}"'


def etag_header(row):
    """The ETag response header for ``row``, when it carries a version."""
    return {"ETag": etag(row)} if isinstance(row, Versioned) else {}


def _version(tag):
    try:
        return int(tag.strip('"'))
    except ValueError:
        return None


def stale(row, version):
    """A 412 for a write based on ``version``: the current ETag and what changed since."""
    _, changes = changes_since(row, version)
    return PreconditionFailed(
        {
            "detail": f"This {row._meta.verbose_name} was changed after the version you sent "
            "in If-Match. Nothing was saved. GET it again, reapply your change to what is "
            "there now, and send the new ETag in If-Match.",
            "etag": etag(row),
            "changed": {name: str(value) for name, _, value in changes},
        }
    )


def check_if_match(request, row):
    """Refuse a write to a versioned ``row`` that does not name the current version: 428
    without If-Match, 412 when it names another one. ``*`` (any version) is the client's
    explicit choice to overwrite whatever is there."""
    if not isinstance(row, Versioned):
        return
    header = request.headers.get("If-Match")
    if header is None:
        raise PreconditionRequired()
    tags = [tag.strip() for tag in header.split(",")]
    if "*" in tags or etag(row) in tags:
        return
    raise stale(row, _version(tags[0]) if len(tags) == 1 else None)
