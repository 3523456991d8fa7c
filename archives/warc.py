"""Writing the hops of a fetch as a WARC file, and reading the page back from one.

A WARC (ISO 28500) is what web archives store: for each hop, the request as sent and the
response as received, headers and body, with the time and the server's address. warcio
(Webrecorder's library) writes and reads it; the file is gzipped record by record, as the
Internet Archive's are, so any WARC tool can open it.
"""

import io
from dataclasses import dataclass

from django.conf import settings
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter


def write(hops, *, taken_at):
    """The WARC file (bytes) of ``hops``: a warcinfo record, then a request and a response
    record per hop."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    date = taken_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    writer.write_record(
        writer.create_warcinfo_record(
            "snapshot.warc.gz",
            {"software": f"{settings.SITE_NAME} archiver (warcio)", "format": "WARC/1.1"},
        )
    )
    for hop in hops:
        target = hop.url.split("/", 3)[3] if hop.url.count("/") >= 3 else ""
        request = writer.create_warc_record(
            hop.url,
            "request",
            payload=io.BytesIO(b""),
            http_headers=StatusAndHeaders(
                f"GET /{target} {hop.protocol}", hop.request_headers, is_http_request=True
            ),
            warc_headers_dict={"WARC-Date": date},
        )
        response = writer.create_warc_record(
            hop.url,
            "response",
            payload=io.BytesIO(hop.body),
            length=len(hop.body),
            http_headers=StatusAndHeaders(
                f"{hop.status} {hop.reason}".strip(), hop.headers, protocol=hop.protocol
            ),
            warc_headers_dict={"WARC-Date": date, "WARC-IP-Address": hop.ip_address},
        )
        writer.write_request_response_pair(request, response)
    return buffer.getvalue()


@dataclass
class Page:
    """The last response in a WARC file: the page a snapshot holds."""

    url: str
    content_type: str
    charset: str
    body: bytes


def read_page(stream):
    """The last response record of the WARC ``stream``, its body decoded from any
    Content-Encoding."""
    page = None
    for record in ArchiveIterator(stream):
        if record.rec_type != "response":
            continue
        content_type = record.http_headers.get_header("Content-Type") or ""
        media_type, _, parameters = content_type.partition(";")
        charset = ""
        for parameter in parameters.split(";"):
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "charset":
                charset = value.strip().strip("\"'")
        page = Page(
            url=record.rec_headers.get_header("WARC-Target-URI"),
            content_type=media_type.strip().lower(),
            charset=charset,
            body=record.content_stream().read(),
        )
    return page
