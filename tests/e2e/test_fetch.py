"""Ingesting from a web address: a real aiohttp client against a loopback web server, which
the tests reach only through the operator's allow-list (loopback is refused by default)."""

from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from aiohttp import web
from aiohttp.abc import AbstractResolver, ResolveResult

from parley.cli.app import open_services
from parley.core.ingest.fetch import FetchPolicy, is_public
from parley.core.ingest.resolver import VettedResolver
from parley.core.models import Reply, Request, Role
from parley.core.registry import run_line
from parley.core.services import Services
from parley.core.settings import Settings
from parley.store import articles as article_store
from tests.conftest import ARTICLES, Ask, make_settings
from tests.fakes.loopback import serving

# Each test starts from a first start's database (made once per test process).
pytestmark = pytest.mark.usefixtures("started")


HITS: list[str] = []

HTML = (ARTICLES / "harbor-bridge-news.html").read_bytes()


async def _page(request: web.Request) -> web.Response:
    return web.Response(body=HTML, content_type="text/html", charset="utf-8")


async def _redirect(request: web.Request) -> web.Response:
    raise web.HTTPFound("/news/bridge")


async def _loop(request: web.Request) -> web.Response:
    raise web.HTTPFound("/loop")


async def _huge(request: web.Request) -> web.StreamResponse:
    resp = web.StreamResponse(headers={"Content-Type": "text/html"})
    await resp.prepare(request)
    for _ in range(40):
        await resp.write(b"<p>" + b"x" * 65536 + b"</p>")
    return resp


async def _pdf(request: web.Request) -> web.Response:
    return web.Response(body=b"%PDF-1.4", content_type="application/pdf")


async def _gone(request: web.Request) -> web.Response:
    return web.Response(status=404)


async def _elsewhere(request: web.Request) -> web.Response:
    raise web.HTTPFound(request.query["to"])


@web.middleware
async def _count(request: web.Request, handler):  # type: ignore[no-untyped-def]
    HITS.append(f"{request.host}{request.path}")
    return await handler(request)


@pytest.fixture
async def site() -> AsyncIterator[str]:
    HITS.clear()
    app = web.Application(middlewares=[_count])
    app.add_routes([web.get("/news/bridge", _page), web.get("/short", _redirect),
                    web.get("/loop", _loop), web.get("/huge", _huge), web.get("/doc.pdf", _pdf),
                    web.get("/gone", _gone), web.get("/elsewhere", _elsewhere)])
    async with serving(app) as base:
        yield base


@pytest.fixture
async def inner() -> AsyncIterator[str]:
    """A second loopback server, on a port the allow-list does not name (an internal service)."""
    app = web.Application(middlewares=[_count])
    app.add_routes([web.get("/news/bridge", _page)])
    async with serving(app) as base:
        yield base


@pytest.fixture
def settings(tmp_path: Path, site: str) -> Settings:
    """Loopback allowed, on the test site's port only: how an operator opts in."""
    port = urlsplit(site).port
    return make_settings(tmp_path, parley_fetch_allow_networks="127.0.0.0/8",
                         parley_fetch_allow_ports=str(port))


async def _ask_as_moderator(services: Services, line: str) -> Reply:
    base = Request(platform="console", workspace="w1", channel="general", user="u1",
                   role=Role.MODERATOR, command="help")
    return await run_line(services.registry, line, base, services)


async def test_article_add_fetches_a_page(ask: Ask, services, site: str) -> None:  # type: ignore[no-untyped-def]
    reply = await ask(f"/article add {site}/short", role=Role.MODERATOR)
    assert reply.title == "Article added", reply.text
    article = await article_store.get(services.db, reply.data["id"])
    assert article is not None
    assert article.url == f"{site}/news/bridge"
    assert article.source_format == "url"
    assert (article.author, article.outlet) == ("Dana Okafor", "Riverside Ledger")
    assert reply.sources[0].url == f"{site}/news/bridge"


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/gone", "answered HTTP 404"),
        ("/loop", "redirected too many times"),
        ("/huge", "larger than 2 MB"),
        ("/doc.pdf", "serves application/pdf"),
    ],
)
async def test_bad_pages_are_refused_and_nothing_is_written(
    ask: Ask, services, site: str, path: str, message: str  # type: ignore[no-untyped-def]
) -> None:
    reply = await ask(f"/article add {site}{path}", role=Role.MODERATOR)
    assert reply.kind == "error" and message in reply.text
    assert await article_store.count(services.db) == 1


async def test_unreachable_host_is_a_clear_error(tmp_path: Path) -> None:
    allowed = make_settings(tmp_path, parley_fetch_allow_networks="127.0.0.0/8",
                            parley_fetch_allow_ports="9")
    async with open_services(allowed) as services:
        reply = await _ask_as_moderator(services, "/article add http://127.0.0.1:9/nothing")
    assert reply.kind == "error" and "couldn't fetch 127.0.0.1" in reply.text


REFUSED = "(unreachable, too slow, or not a public web address); nothing was added."


def _internal_spellings(base: str) -> list[str]:
    port = urlsplit(base).port
    return [f"http://127.0.0.1:{port}/news/bridge", f"http://localhost:{port}/news/bridge",
            f"http://[::1]:{port}/news/bridge", f"http://0.0.0.0:{port}/news/bridge",
            f"http://0x7f000001:{port}/news/bridge", f"http://2130706433:{port}/news/bridge",
            f"http://127.1:{port}/news/bridge", f"http://[::ffff:127.0.0.1]:{port}/news/bridge",
            f"http://user@127.0.0.1:{port}/news/bridge", "http://127.0.0.1/news/bridge",
            "http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/",
            "http://[fe80::1]/", "http://224.0.0.1/", "http://[::ffff:a9fe:a9fe]/",
            "http://[64:ff9b::7f00:1]/", "http://[2002:7f00:1::]/", "http://100.64.0.1/"]


async def test_internal_addresses_in_any_spelling_are_refused_unfetched(
        tmp_path: Path, site: str) -> None:
    async with open_services(make_settings(tmp_path / "default")) as services:
        for url in _internal_spellings(site):
            started = time.monotonic()
            reply = await _ask_as_moderator(services, f"/article add {url}")
            host = urlsplit(url).hostname
            assert reply.kind == "error", (url, reply.text)
            assert reply.text == f"I couldn't fetch {host} {REFUSED}", (url, reply.text)
            assert time.monotonic() - started < 2, f"{url} was tried, not refused"
        assert HITS == []  # nothing reached the server
        assert await article_store.count(services.db) == 1


async def test_open_and_closed_ports_look_the_same(tmp_path: Path, site: str) -> None:
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    closed_port = closed.getsockname()[1]
    closed.close()
    async with open_services(make_settings(tmp_path / "default")) as services:
        open_reply = await _ask_as_moderator(services, f"/article add {site}/news/bridge")
        closed_reply = await _ask_as_moderator(
            services, f"/article add http://127.0.0.1:{closed_port}/news/bridge")
    assert open_reply.text == closed_reply.text == f"I couldn't fetch 127.0.0.1 {REFUSED}"
    assert HITS == []


@pytest.mark.parametrize("target", ["inner", "http://169.254.169.254/latest/meta-data/",
                                    "http://10.0.0.1/admin", "http://[::1]/", "ftp://x.example/"])
async def test_every_redirect_is_checked_again(ask: Ask, services, site: str, inner: str,  # type: ignore[no-untyped-def]
                                               target: str) -> None:
    to = f"{inner}/news/bridge" if target == "inner" else target
    reply = await ask(f"/article add {site}/elsewhere?to={to}", role=Role.MODERATOR)
    assert reply.text == f"I couldn't fetch 127.0.0.1 {REFUSED}", reply.text
    hits = list(HITS)
    assert hits == [f"{urlsplit(site).netloc}/elsewhere"]  # the inner server saw nothing
    assert await article_store.count(services.db) == 1


class _Answers(AbstractResolver):
    """A DNS that answers what it is told (a rebinding attacker's, say)."""

    def __init__(self, *addresses: str) -> None:
        self.addresses = addresses
        self.asked = 0

    async def resolve(self, host: str, port: int = 0,
                      family: socket.AddressFamily = socket.AF_INET) -> list[ResolveResult]:
        self.asked += 1
        return [ResolveResult(hostname=host, host=a, port=port, family=family, proto=0, flags=0)
                for a in self.addresses]

    async def close(self) -> None:
        return None


async def test_a_name_is_resolved_once_and_only_vetted_addresses_are_connected_to() -> None:
    dns = _Answers("93.184.215.14", "127.0.0.1", "10.1.2.3")
    vetted = await VettedResolver(FetchPolicy(), dns).resolve("news.example", 80)
    assert [r["host"] for r in vetted] == ["93.184.215.14"] and dns.asked == 1
    with pytest.raises(OSError):
        await VettedResolver(FetchPolicy(), _Answers("127.0.0.1", "::1")).resolve("x.example")
    assert is_public(ipaddress.ip_address("2606:4700::1111"))
    assert not is_public(ipaddress.ip_address("::ffff:8.8.8.8"))  # mapped: refused outright
