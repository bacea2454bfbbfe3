"""Fetching an article from a web address with aiohttp: public addresses only, bounded size,
time and redirects.

Every host is resolved once by ``resolver.VettedResolver``, which drops any address that is not
public (loopback, private, link-local, multicast, reserved, unspecified, or an IPv6 form carrying
an IPv4 address); aiohttp then connects to exactly the addresses it returned, so a second DNS
answer can never swap in an internal one. Redirects are followed by hand, each hop checked again.
An operator may allow more networks and ports (``PARLEY_FETCH_ALLOW_NETWORKS``,
``PARLEY_FETCH_ALLOW_PORTS``).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from parley import __version__
from parley.core.ingest.errors import IngestError
from parley.core.settings import Settings

if TYPE_CHECKING:  # aiohttp is imported by a fetch, not by every command that names a policy
    import aiohttp
    from yarl import URL

USER_AGENT = f"Parley/{__version__} (+article discussion bot)"
FETCH_TIMEOUT_S = 15.0
MAX_REDIRECTS = 5
DEFAULT_PORTS = {"http": 80, "https": 443}
_REDIRECTS = {301, 302, 303, 307, 308}

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
# IPv6 ranges that embed an IPv4 address (NAT64, its local-use prefix); mapped, compatible,
# 6to4 and Teredo forms are recognised by ipaddress itself.
_EMBEDDING = (ipaddress.IPv6Network("64:ff9b::/96"), ipaddress.IPv6Network("64:ff9b:1::/48"),
              ipaddress.IPv6Network("::/96"))


@dataclass(frozen=True)
class FetchPolicy:
    """Which destinations a fetch may reach beyond public addresses on ports 80 and 443."""

    networks: tuple[IPNetwork, ...] = ()
    ports: tuple[tuple[int, int], ...] = ()  # inclusive ranges

    def allows_port(self, scheme: str, port: int) -> bool:
        return port == DEFAULT_PORTS.get(scheme) or any(lo <= port <= hi for lo, hi in self.ports)

    def allows_address(self, ip: IPAddress) -> bool:
        return any(ip in net for net in self.networks) or is_public(ip)


def policy_for(settings: Settings) -> FetchPolicy:
    """The operator's allow-list from the settings (empty: public addresses, default ports)."""
    return FetchPolicy(tuple(settings.parley_fetch_allow_networks),
                       tuple(settings.parley_fetch_allow_ports))


def is_public(ip: IPAddress) -> bool:
    """A globally routable unicast address that does not smuggle an IPv4 one inside IPv6."""
    if isinstance(ip, ipaddress.IPv6Address) and (
            ip.ipv4_mapped or ip.sixtofour or ip.teredo or any(ip in n for n in _EMBEDDING)):
        return False
    return bool(ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_loopback
                                      or ip.is_link_local or ip.is_private or ip.is_unspecified))


class RefusedAddress(OSError):
    """The host resolved to no address the policy allows."""


@dataclass(frozen=True)
class Fetched:
    """The body of a page and what the server said it is."""

    url: str
    content_type: str
    body: bytes
    status: int = 200
    etag: str = ""
    last_modified: str = ""

    @property
    def not_modified(self) -> bool:
        """The server said the resource has not changed since the conditional request's copy."""
        return self.status == 304


def check_url(url: str) -> str:
    """An http(s) address with a host, or IngestError."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise IngestError("That isn't a web address I can fetch (it must start with http:// "
                          "or https://).")
    return url.strip()


def _unreachable(host: str) -> IngestError:
    # One message whatever the reason (refused address, closed port, timeout), so the answer
    # says nothing about what listens where.
    return IngestError(f"I couldn't fetch {host} (unreachable, too slow, or not a public web "
                       "address); nothing was added.")


def vet(url: URL, policy: FetchPolicy) -> None:
    """Refuse a hop before connecting: scheme, credentials, port, and a literal IP address."""
    if url.scheme not in DEFAULT_PORTS or not url.host or url.user is not None \
            or url.password is not None:
        raise RefusedAddress("scheme, host or credentials")
    if url.port is None or not policy.allows_port(url.scheme, url.port):
        raise RefusedAddress("port")
    try:
        literal: IPAddress | None = ipaddress.ip_address(url.host.split("%", 1)[0])
    except ValueError:
        literal = None  # a name (or an odd spelling such as 0x7f000001): the resolver checks it
    if literal is not None and not policy.allows_address(literal):
        raise RefusedAddress("address")


async def fetch_url(url: str, max_bytes: int, timeout_s: float = FETCH_TIMEOUT_S,
                    policy: FetchPolicy | None = None,
                    headers: Mapping[str, str] | None = None) -> Fetched:
    """GET the page, refusing anything larger than ``max_bytes`` or not allowed by ``policy``;
    ``headers`` may make the request conditional (``If-None-Match``, ``If-Modified-Since``),
    answered by a 304."""
    import aiohttp
    from yarl import URL

    from parley.core.ingest.resolver import VettedResolver

    url = check_url(url)
    host = urlsplit(url).hostname or "that address"
    policy = policy or FetchPolicy()
    timeout = aiohttp.ClientTimeout(total=timeout_s)
    connector = aiohttp.TCPConnector(resolver=VettedResolver(policy), use_dns_cache=False)
    try:
        async with aiohttp.ClientSession(timeout=timeout, connector=connector, trust_env=False,
                                         headers={"User-Agent": USER_AGENT}) as session:
            current = URL(url)
            for _ in range(MAX_REDIRECTS + 1):
                vet(current, policy)
                async with session.get(current, allow_redirects=False,
                                       headers=dict(headers or {})) as resp:
                    location = resp.headers.get("Location")
                    if resp.status in _REDIRECTS and location:
                        current = resp.url.join(URL(location))
                        continue
                    return await _read(resp, host, max_bytes)
            raise IngestError(f"{host} redirected too many times; nothing was added.")
    except IngestError:
        raise
    except (TimeoutError, aiohttp.ClientError, OSError, ValueError):
        raise _unreachable(host) from None


async def _read(resp: aiohttp.ClientResponse, host: str, max_bytes: int) -> Fetched:
    if resp.status >= 400:
        raise IngestError(f"{host} answered HTTP {resp.status}; nothing was added.")
    declared = resp.content_length
    if declared is not None and declared > max_bytes:
        raise IngestError(_too_big(max_bytes))
    body = bytearray()
    async for chunk in resp.content.iter_chunked(65536):
        body.extend(chunk)
        if len(body) > max_bytes:
            raise IngestError(_too_big(max_bytes))
    return Fetched(str(resp.url), resp.headers.get("Content-Type", ""), bytes(body),
                   resp.status, resp.headers.get("ETag", ""),
                   resp.headers.get("Last-Modified", ""))


def _too_big(limit: int) -> str:
    return f"That page is larger than {limit // 1_000_000} MB; nothing was added."

