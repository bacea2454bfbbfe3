"""The resolver every fetch connects through: each host resolved once, only the addresses the
fetch policy allows returned (imported with aiohttp, by a fetch)."""

from __future__ import annotations

import ipaddress
import socket

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult

from parley.core.ingest.fetch import FetchPolicy, RefusedAddress


class VettedResolver(AbstractResolver):
    """Resolves once and returns only the addresses the policy allows (the ones connected to)."""

    def __init__(self, policy: FetchPolicy, inner: AbstractResolver | None = None) -> None:
        self.policy = policy
        self.inner = inner or aiohttp.ThreadedResolver()

    async def resolve(self, host: str, port: int = 0,
                      family: socket.AddressFamily = socket.AF_INET) -> list[ResolveResult]:
        found = await self.inner.resolve(host, port, family)
        allowed = [r for r in found if self.policy.allows_address(ipaddress.ip_address(r["host"]))]
        if not allowed:
            raise RefusedAddress(f"{host} has no address Parley may fetch from")
        return allowed

    async def close(self) -> None:
        await self.inner.close()
