"""The address of the client that sent a request, as far as this deployment can trust it.

Every proxy appends the address it received a request from to X-Forwarded-For, after whatever
the client itself put there. So only the last ``TRUSTED_PROXY_COUNT`` entries were written by
our own proxies, and the one furthest left of them is the address the outermost proxy saw: the
client. Anything before it is the client's to invent. With no proxy (the default) the header
is all invention and the socket's address is the truth.

The API's throttles, the search rate limit, the login lockouts (django-axes) and the logs all
ask here, so a spoofed header moves none of them.
"""

import ipaddress

from django.conf import settings


def client_ip(request):
    """The client's address: REMOTE_ADDR, or with N trusted proxies the Nth address from the
    right of X-Forwarded-For (REMOTE_ADDR when the header is shorter than that or malformed,
    as it is when a request reaches the app without passing through every proxy)."""
    remote_addr = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote_addr
    forwarded = [
        address.strip()
        for address in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if address.strip()
    ]
    if len(forwarded) < count:
        return remote_addr
    try:
        return str(ipaddress.ip_address(forwarded[-count]))
    except ValueError:
        return remote_addr
