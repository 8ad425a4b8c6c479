"""The client's address, as far as the trusted reverse proxies vouch for it.

The login lockout (django-axes, through AXES_CLIENT_IP_CALLABLE) and the
action log both ask `client_ip`, so they always agree on who a request came
from.

Each reverse proxy appends the address it received the request from to
X-Forwarded-For. With BRIK_PROXY_COUNT trusted proxies in front of Brik, the
last BRIK_PROXY_COUNT entries were written by them; the leftmost of those is
the client. Anything further left was sent by the client itself and may be
forged, so it is never read. Without proxies (the default) the header is
ignored altogether and the peer's address is the client.
"""

from ipaddress import ip_address

from django.conf import settings


def _valid(value: str) -> str | None:
    try:
        return str(ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The address of the client behind settings.BRIK_PROXY_COUNT trusted proxies."""
    peer = request.META.get("REMOTE_ADDR") or None
    proxies = settings.BRIK_PROXY_COUNT
    if proxies <= 0:
        return peer
    forwarded = [
        entry.strip()
        for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if entry.strip()
    ]
    if not forwarded:
        # Not through the proxies at all (a health check on the host itself).
        return peer
    # Fewer entries than proxies: the request entered behind the outermost
    # proxy, and every entry there is still a trusted proxy's.
    return _valid(forwarded[max(len(forwarded) - proxies, 0)]) or peer
