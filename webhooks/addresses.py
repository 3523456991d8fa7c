"""Which addresses a webhook may be sent to (server-side request forgery).

A partner's URL is fetched by our server, from inside our network: pointed at 127.0.0.1, a
10.x host or a cloud's metadata address (169.254.169.254), a webhook would be a way to make
requests to services that trust our network. So a URL must be http(s) and its host resolve
only to global addresses, checked when the URL is registered and again at each delivery on
the very socket that connects (``webhooks.delivery``), so a DNS answer that changes between
the two (DNS rebinding) is caught too. ``WEBHOOK_ALLOW_LOOPBACK`` admits loopback addresses
(127.0.0.0/8, ::1) for tests and local trials; nothing admits private ones.
"""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError

from sources.validators import validate_web_url


def is_allowed_address(address):
    """Whether a webhook may connect to the IP ``address`` (a string)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # an IPv6 zone ("%eth0") aside
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if ip.is_loopback:
        return settings.WEBHOOK_ALLOW_LOOPBACK
    return ip.is_global and not ip.is_multicast


def validate_webhook_url(url):
    """A partner's URL: http(s), with a host that resolves, to allowed addresses only."""
    validate_web_url(url)
    parts = urlsplit(url)
    if parts.username or parts.password:
        raise ValidationError("Put no user name or password in the URL; deliveries are signed.")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        infos = socket.getaddrinfo(parts.hostname, port, proto=socket.IPPROTO_TCP)
    except (OSError, ValueError, UnicodeError) as error:
        raise ValidationError(f"The host {parts.hostname!r} cannot be resolved: {error}") from None
    refused = sorted({info[4][0] for info in infos if not is_allowed_address(info[4][0])})
    if refused:
        raise ValidationError(
            f"The host {parts.hostname!r} resolves to an address webhooks may not be sent "
            f"to ({', '.join(refused)}): loopback, private, link-local and reserved "
            "addresses are refused."
        )
