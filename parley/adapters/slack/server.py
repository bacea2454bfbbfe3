"""Serving the app: an aiohttp endpoint at /slack/events, or a Socket Mode connection."""

from __future__ import annotations

import asyncio
import logging

import aiohttp
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp

from parley.adapters.slack.app import build_app, make_client
from parley.core.inflight import InFlight
from parley.core.services import Services

log = logging.getLogger("parley.slack")
EVENTS_PATH = "/slack/events"
CLOSE_WITHIN_S = 3.0  # closing a socket Slack never answers must not outlast a stop


def web_app(app: AsyncApp, acks: InFlight | None = None) -> web.Application:
    """POST /slack/events goes to bolt (which verifies the signature); GET /health answers ok.
    ``acks`` counts the requests whose ack has not been sent yet."""

    pending = acks or InFlight()

    async def events(request: web.Request) -> web.Response:
        pending.enter()
        try:
            return await to_aiohttp_response(
                await app.async_dispatch(await to_bolt_request(request)))
        finally:
            pending.leave()

    async def health(_: web.Request) -> web.Response:
        return web.json_response({"ok": True})

    server = web.Application(client_max_size=1024 * 1024)
    server.add_routes([web.post(EVENTS_PATH, events), web.get("/health", health)])
    return server


async def serve(services: Services, stop: asyncio.Event) -> None:
    """Run Slack until ``stop`` is set: Socket Mode with an app token, else HTTP."""
    async with aiohttp.ClientSession() as session:
        if services.settings.slack_app_token:
            app = build_app(services, make_client(services), session)
            await _socket_mode(services, app, stop)
        else:
            acks = InFlight()
            app = build_app(services, make_client(services), session, acks)
            await _http(services, app, stop, acks)


async def _socket_mode(services: Services, app: AsyncApp, stop: asyncio.Event) -> None:
    """Connect out and serve until ``stop``; a stop while Slack is unreachable (connecting,
    retrying, or a connection that never answers) ends it within seconds, not when the
    network allows."""
    token = services.settings.slack_app_token
    assert token is not None
    handler = AsyncSocketModeHandler(app, token.get_secret_value(), web_client=app.client)
    connecting = asyncio.create_task(handler.connect_async())  # type: ignore[no-untyped-call]
    stopping = asyncio.create_task(stop.wait())
    try:
        await asyncio.wait({connecting, stopping}, return_when=asyncio.FIRST_COMPLETED)
        if connecting.done():
            connecting.result()  # a refusal (a bad token) is raised, not waited out
            log.info("slack connected", extra={"mode": "socket"})
            await stopping
    finally:
        for task in (connecting, stopping):
            task.cancel()
        await asyncio.gather(connecting, stopping, return_exceptions=True)
        try:
            await asyncio.wait_for(handler.close_async(),  # type: ignore[no-untyped-call]
                                   CLOSE_WITHIN_S)
        except Exception as exc:  # closing must not keep a stopped bot alive
            log.warning("slack socket not closed cleanly", extra={"error": type(exc).__name__})
        await services.drain()


async def _http(services: Services, app: AsyncApp, stop: asyncio.Event, acks: InFlight
                ) -> None:
    settings = services.settings
    runner = web.AppRunner(web_app(app, acks))
    await runner.setup()
    site = web.TCPSite(runner, settings.parley_slack_host, settings.parley_slack_port)
    await site.start()
    log.info("slack listening", extra={"mode": "http", "port": settings.parley_slack_port,
                                       "path": EVENTS_PATH})
    try:
        await stop.wait()
    finally:
        await runner.cleanup()  # stop listening; requests already received are acked
        await services.drain()  # and their answers, worked on lazily, are sent
