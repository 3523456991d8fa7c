"""Fetching a page to archive it, within limits, and only from the public internet.

What is fetched is decided by settings (docs/deploy.md, "Archiving sources"): a size limit, a
connect and read timeout and a total time for the whole fetch (robots.txt and every redirect
included), a number of redirects, the user agent whose robots.txt rules are obeyed. Every
address a host name resolves to must be a public one (``ARCHIVE_ALLOW_PRIVATE_ADDRESSES``
lets the tests archive from a server on 127.0.0.1), and the connection goes to the address
that was checked, so a name cannot resolve to a public address for the check and a private
one for the request (DNS rebinding).

urllib3 rather than urllib: it connects to a given address while sending the host's name
(``Host``, TLS server name and certificate check), streams the body so that the size limit
stops a download early, and leaves redirects to the caller, who checks each hop.
"""

import ipaddress
import socket
import time
import urllib.robotparser
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import urllib3
from django.conf import settings

REDIRECT_STATUSES = {301, 302, 303, 307, 308}
ROBOTS_MAX_BYTES = 512 * 1024
CHUNK_BYTES = 64 * 1024


class FetchError(Exception):
    """The page could not be archived; the message says why, for the editor."""


@dataclass
class Hop:
    """One request and its answer: a redirect, or the page itself (the last hop)."""

    url: str
    ip_address: str
    request_headers: list
    status: int
    reason: str
    protocol: str
    headers: list
    body: bytes = b""

    @property
    def location(self):
        for name, value in self.headers:
            if name.lower() == "location":
                return urljoin(self.url, value.strip())
        return None

    @property
    def content_type(self):
        """The media type, lower case, without parameters ("text/html")."""
        for name, value in self.headers:
            if name.lower() == "content-type":
                return value.split(";")[0].strip().lower()
        return ""


@dataclass
class Limits:
    """What one fetch may take; ``Limits.from_settings()`` is the configured ones."""

    user_agent: str
    max_bytes: int
    connect_timeout: float
    read_timeout: float
    total_timeout: float
    max_redirects: int
    respect_robots: bool
    allow_private_addresses: bool
    deadline: float = field(default=0.0)

    @classmethod
    def from_settings(cls):
        return cls(
            user_agent=settings.ARCHIVE_USER_AGENT,
            max_bytes=settings.ARCHIVE_MAX_BYTES,
            connect_timeout=settings.ARCHIVE_CONNECT_TIMEOUT,
            read_timeout=settings.ARCHIVE_READ_TIMEOUT,
            total_timeout=settings.ARCHIVE_TOTAL_TIMEOUT,
            max_redirects=settings.ARCHIVE_MAX_REDIRECTS,
            respect_robots=settings.ARCHIVE_RESPECT_ROBOTS,
            allow_private_addresses=settings.ARCHIVE_ALLOW_PRIVATE_ADDRESSES,
        )

    def remaining(self):
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise FetchError(
                f"Gave up: the fetch took longer than {self.total_timeout:g} seconds in all."
            )
        return left


def fetch(url, limits=None):
    """The hops from ``url`` to the page it leads to, redirects followed: a list of ``Hop``
    whose last one is not a redirect. Raises ``FetchError`` when a limit or a rule stops it
    or the server cannot be reached."""
    limits = limits or Limits.from_settings()
    limits.deadline = time.monotonic() + limits.total_timeout
    robots = {}
    hops = []
    while True:
        if limits.respect_robots:
            _check_robots(url, limits, robots)
        hop = _get(url, limits)
        hops.append(hop)
        if hop.status not in REDIRECT_STATUSES or hop.location is None:
            return hops
        if len(hops) > limits.max_redirects:
            raise FetchError(
                f"Too many redirects: more than {limits.max_redirects}, starting at {hops[0].url}."
            )
        url = hop.location
        if url in {earlier.url for earlier in hops}:
            raise FetchError(f"Redirect loop: {hop.url} leads back to {url}.")


def _check_robots(url, limits, cache):
    parts = urlsplit(url)
    origin = f"{parts.scheme}://{parts.netloc}"
    if origin not in cache:
        parser = urllib.robotparser.RobotFileParser(f"{origin}/robots.txt")
        robots_url = f"{origin}/robots.txt"
        for _ in range(limits.max_redirects + 1):
            hop = _get(robots_url, limits, max_bytes=ROBOTS_MAX_BYTES, what="robots.txt")
            if hop.status in REDIRECT_STATUSES and hop.location:
                robots_url = hop.location
                continue
            break
        # The conventions of Python's robotparser (and of RFC 9309): no robots.txt allows
        # everything, one that needs authorisation forbids everything.
        if hop.status in (401, 403):
            parser.disallow_all = True
        elif 400 <= hop.status < 500:
            parser.allow_all = True
        elif hop.status >= 300:
            raise FetchError(
                f"{robots_url} answered {hop.status}: cannot tell whether archiving is allowed."
            )
        else:
            parser.parse(hop.body.decode("utf-8", "replace").splitlines())
        cache[origin] = parser
    if not cache[origin].can_fetch(limits.user_agent, url):
        raise FetchError(
            f"{origin}/robots.txt does not allow {limits.user_agent.split('/')[0]} to fetch {url}."
        )


def _address(host, port, limits):
    """The address to connect to for ``host``: refused unless every address the name
    resolves to is public (or private ones are allowed)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise FetchError(f"Could not find the host {host}: {error}.") from error
    addresses = [info[4][0] for info in infos]
    if not limits.allow_private_addresses:
        for address in addresses:
            ip = ipaddress.ip_address(address.split("%")[0])
            # ::ffff:127.0.0.1 is 127.0.0.1 to the network stack.
            ip = getattr(ip, "ipv4_mapped", None) or ip
            if not ip.is_global:
                raise FetchError(
                    f"{host} resolves to {address}, a private or local address: refused."
                )
    return addresses[0]


def _get(url, limits, *, max_bytes=None, what="page"):
    max_bytes = max_bytes or limits.max_bytes
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(f"Not a web address: {url}.")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    address = _address(parts.hostname, port, limits)
    timeout = urllib3.Timeout(
        connect=min(limits.connect_timeout, limits.remaining()),
        read=min(limits.read_timeout, limits.remaining()),
    )
    pool_options = {"timeout": timeout, "retries": False, "maxsize": 1}
    if parts.scheme == "https":
        pool = urllib3.HTTPSConnectionPool(
            address,
            port,
            server_hostname=parts.hostname,
            assert_hostname=parts.hostname,
            **pool_options,
        )
    else:
        pool = urllib3.HTTPConnectionPool(address, port, **pool_options)
    request_headers = [
        ("Host", parts.netloc.rsplit("@", 1)[-1]),
        ("User-Agent", limits.user_agent),
        ("Accept", "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.8"),
        # Stored as sent: an uncompressed body is what a reader of the WARC can check.
        ("Accept-Encoding", "identity"),
    ]
    target = parts.path or "/"
    if parts.query:
        target += f"?{parts.query}"
    try:
        response = pool.urlopen(
            "GET",
            target,
            headers=dict(request_headers),
            redirect=False,
            preload_content=False,
            decode_content=False,
            assert_same_host=False,
        )
        try:
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                raise FetchError(_too_large(what, url, max_bytes))
            body = bytearray()
            for chunk in response.stream(CHUNK_BYTES, decode_content=False):
                body += chunk
                if len(body) > max_bytes:
                    raise FetchError(_too_large(what, url, max_bytes))
                limits.remaining()
        finally:
            response.release_conn()
    except urllib3.exceptions.TimeoutError as error:
        raise FetchError(f"Timed out fetching {url}: no answer within the time limit.") from error
    except urllib3.exceptions.SSLError as error:
        raise FetchError(f"Secure connection to {parts.hostname} failed: {error}.") from error
    except urllib3.exceptions.NewConnectionError as error:
        raise FetchError(f"Could not connect to {parts.netloc}.") from error
    except urllib3.exceptions.HTTPError as error:
        raise FetchError(f"The connection to {parts.netloc} failed: {error}.") from error
    finally:
        pool.close()
    return Hop(
        url=url,
        ip_address=address,
        request_headers=request_headers,
        status=response.status,
        reason=response.reason or "",
        protocol={10: "HTTP/1.0", 11: "HTTP/1.1"}.get(response.version, "HTTP/1.1"),
        # The body is stored without its chunked framing, so the header that announced it
        # would misdescribe what the WARC holds.
        headers=[
            (name, value)
            for name, value in response.headers.items()
            if name.lower() != "transfer-encoding"
        ],
        body=bytes(body),
    )


def _too_large(what, url, max_bytes):
    return f"The {what} at {url} is larger than the limit of {max_bytes / 1e6:g} MB."
