"""ETag and If-Match for the rows that carry a version (claims, evidence, sources): the API's
side of "no lost edits" (``sources.concurrency``), and of the caching contract that a read's
ETag changes whenever its body would.

A read of one row answers with ``"<version>.<digest>"``: the row's version, and a digest of
the body it sent. The version alone is not enough: the body also shows related rows (a
claim's evidence, stances, sources, claimant, topics, corrections, counterclaims; the claims a
piece of evidence serves; a source's publisher, authors and the document it is known through)
that change without the row's version, and a conditional GET (If-None-Match) would be
answered 304 with a stale body. A write answers with ``"<version>"``, the version it made.

A write to an existing row must send back in If-Match an ETag that names the current version.
The precondition is about the row the write changes, so only the version is compared: a client
that read a claim before a new piece of evidence was linked may still change the claim's
summary, but not over someone else's change of the claim itself, of which it is told instead.
"""

import hashlib
import re

from django.utils.http import parse_etags, quote_etag, split_header_value
from rest_framework import status
from rest_framework.exceptions import APIException

from sources.concurrency import Versioned, changes_since

# The ETags this API gives out: "<version>" (writes, 412s) and "<version>.<digest>" (reads).
DIGEST_LENGTH = 16
VERSION_ETAG = re.compile(rf'"(?P<version>[0-9]+)(?:\.[0-9a-f]{{{DIGEST_LENGTH}}})?"')


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


class MalformedPrecondition(APIException):
    """An If-Match that is not ``*`` or a list of quoted ETags. Refused rather than read as
    "names no version" (a 412), which would send the client looking for a change that never
    happened: the header is broken, not out of date."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = (
        "Malformed If-Match: send the ETag exactly as a GET returned it, double quotes "
        'included (If-Match: "7.0123456789abcdef"), several separated by commas, or * to '
        "overwrite whatever version is there."
    )
    default_code = "malformed_if_match"


def etag(row):
    """The ETag of a write's answer and of a 412: the row's version."""
    return quote_etag(str(row.version))


def etag_header(row):
    """The ETag response header of a write to ``row``, when it carries a version."""
    return {"ETag": etag(row)} if isinstance(row, Versioned) else {}


def read_etag(version, content):
    """The ETag of a read: the version, and the body's MD5 (the digest Django's
    ConditionalGetMiddleware gives every other response) shortened to 64 bits, plenty to
    tell one row's bodies apart."""
    digest = hashlib.md5(content, usedforsecurity=False).hexdigest()[:DIGEST_LENGTH]
    return quote_etag(f"{version}.{digest}")


def with_read_etag(response, row):
    """Give ``response``, a read of ``row``, the ETag of the body it renders to. Set once
    the body is rendered (in whatever format was negotiated), before the public cache keeps
    it and before ConditionalGetMiddleware compares it with If-None-Match."""
    if isinstance(row, Versioned):
        version = row.version

        def tag(rendered):
            rendered["ETag"] = read_etag(version, rendered.content)

        response.add_post_render_callback(tag)
    return response


def _version(tag):
    """The version a strong ETag of ours names; None for a weak or a foreign one."""
    match = VERSION_ETAG.fullmatch(tag)
    return int(match["version"]) if match else None


def _failed(row, detail, changes=()):
    return PreconditionFailed(
        {
            "detail": detail,
            "etag": etag(row),
            "changed": {name: str(value) for name, _, value in changes},
        }
    )


def stale(row, version):
    """A 412 for a write based on ``version``: the current ETag and what changed since."""
    _, changes = changes_since(row, version)
    return _failed(
        row,
        f"This {row._meta.verbose_name} was changed after the version you sent in If-Match. "
        "Nothing was saved. GET it again, reapply your change to what is there now, and send "
        "the new ETag in If-Match.",
        changes,
    )


def weak(row):
    """A 412 for an If-Match of weak ETags only, which never match (RFC 9110, 13.1.1)."""
    return _failed(
        row,
        "If-Match compares ETags strongly (RFC 9110, section 13.1.1), so a weak ETag "
        '(W/"…") never matches. Nothing was saved. Send the ETag exactly as a GET returned '
        "it, without W/ (a proxy that compresses responses may have weakened it on the way).",
    )


def unknown(row):
    """A 412 for an If-Match of well-formed ETags that name no version: none of ours."""
    return _failed(
        row,
        f"If-Match names no version of this {row._meta.verbose_name}: it holds no ETag the "
        "API gave. Nothing was saved. GET it, and send its ETag in If-Match.",
    )


def check_if_match(request, row):
    """Refuse a write to a versioned ``row`` that does not name the current version: 428
    without If-Match, 400 when it is malformed, 412 when it names another version (or only
    weak ETags). A read's ``"<version>.<digest>"`` and a bare ``"<version>"`` both name
    their version; the digest is not compared (see the module docstring). ``*`` (any version)
    is the client's explicit choice to overwrite whatever is there."""
    if not isinstance(row, Versioned):
        return
    header = request.headers.get("If-Match")
    if header is None:
        raise PreconditionRequired()
    # parse_etags drops what it cannot parse: a member dropped means a malformed header.
    tags = parse_etags(header)
    if not tags or len(tags) != len(list(split_header_value(header))):
        raise MalformedPrecondition()
    if tags == ["*"]:
        return
    versions = {_version(tag) for tag in tags}
    if row.version in versions:
        return
    if all(tag.startswith("W/") for tag in tags):
        raise weak(row)
    versions.discard(None)
    if not versions:
        raise unknown(row)
    raise stale(row, versions.pop() if len(versions) == 1 else None)
