"""Ingesting from a web address: a real aiohttp client against a loopback web server."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiohttp import web

from parley.core.models import Role
from parley.store import articles as article_store
from tests.conftest import ARTICLES, Ask
from tests.fakes.loopback import serving

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


@pytest.fixture
async def site() -> AsyncIterator[str]:
    app = web.Application()
    app.add_routes([web.get("/news/bridge", _page), web.get("/short", _redirect),
                    web.get("/loop", _loop), web.get("/huge", _huge), web.get("/doc.pdf", _pdf),
                    web.get("/gone", _gone)])
    async with serving(app) as base:
        yield base


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


async def test_unreachable_host_is_a_clear_error(ask: Ask) -> None:
    reply = await ask("/article add http://127.0.0.1:9/nothing", role=Role.MODERATOR)
    assert reply.kind == "error" and "couldn't fetch 127.0.0.1" in reply.text
