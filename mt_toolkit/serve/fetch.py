"""Fetching a page a user names by URL, without letting a request reach inside the network.

Only ``http`` and ``https``; the host's every address must be public (no loopback, private,
link-local, multicast, reserved or unspecified address: a request must not make the server read
its own admin pages or a neighbour's); redirects are followed by hand, each hop checked the
same way; a timeout bounds the whole fetch and a size cap the body. The connection goes to the
address that was checked (not re-resolved), so a DNS answer that changes between the check and
the connection cannot slip a private address in.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from mt_toolkit.errors import InputError

__all__ = ["FetchLimits", "FetchedPage", "check_public_url", "fetch_url"]


@dataclass(frozen=True)
class FetchLimits:
    timeout: float = 10.0  # seconds, for the whole fetch
    max_bytes: int = 5_000_000
    max_redirects: int = 5


@dataclass(frozen=True)
class FetchedPage:
    url: str
    text: str
    content_type: str


def _public(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not (ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast
                                 or ip.is_reserved or ip.is_unspecified)


def check_public_url(url: str, *, resolve=socket.getaddrinfo) -> tuple[str, str]:
    """The URL's host and one checked public address to connect to.

    Raises:
        InputError: not http(s), no host, a host that does not resolve, or any non-public address.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise InputError(f"only http and https URLs can be fetched, not {parts.scheme or 'a bare path'!r}")
    host = parts.hostname
    if not host:
        raise InputError(f"the URL {url!r} has no host")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        infos = resolve(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as err:
        raise InputError(f"cannot resolve {host!r} ({err})") from None
    addresses = sorted({info[4][0] for info in infos})
    if not addresses:
        raise InputError(f"cannot resolve {host!r}")
    blocked = [a for a in addresses if not _public(a)]
    if blocked:
        raise InputError(f"refusing to fetch {host!r}: it resolves to a private, loopback or reserved "
                         f"address ({blocked[0]})")
    return host, addresses[0]


def fetch_url(url: str, *, limits: FetchLimits = FetchLimits()) -> FetchedPage:
    """The body of a public http(s) page as text.

    Raises:
        InputError: a refused or unreachable URL, an error status, a body over the size cap, or
            a timeout.
    """
    import httpx

    current = url
    for _ in range(limits.max_redirects + 1):
        host, address = check_public_url(current)
        parts = urlsplit(current)
        # connect to the checked address; keep the name for the Host header and TLS (SNI)
        target = parts._replace(netloc=f"[{address}]" if ":" in address else address)
        if parts.port:
            target = target._replace(netloc=f"{target.netloc}:{parts.port}")
        try:
            with httpx.Client(timeout=limits.timeout, follow_redirects=False, trust_env=False) as client:
                request = client.build_request(
                    "GET", target.geturl(), headers={"Host": parts.netloc, "User-Agent": "mt-toolkit"},
                    extensions={"sni_hostname": host},
                )
                response = client.send(request, stream=True)
                try:
                    if response.is_redirect:
                        current = urljoin(current, response.headers.get("location", ""))
                        continue
                    if response.status_code >= 400:
                        raise InputError(f"{url} answered HTTP {response.status_code}")
                    declared = int(response.headers.get("content-length") or 0)
                    if declared > limits.max_bytes:
                        raise InputError(f"{url} is larger than {limits.max_bytes} bytes")
                    body = bytearray()
                    for chunk in response.iter_bytes():
                        body += chunk
                        if len(body) > limits.max_bytes:
                            raise InputError(f"{url} is larger than {limits.max_bytes} bytes")
                    text = bytes(body).decode(response.encoding or "utf-8", errors="replace")
                    return FetchedPage(current, text, response.headers.get("content-type", ""))
                finally:
                    response.close()
        except httpx.HTTPError as err:
            raise InputError(f"cannot fetch {url}: {type(err).__name__} {err}") from None
    raise InputError(f"{url} redirects more than {limits.max_redirects} times")
