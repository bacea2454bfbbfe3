"""Serving the app: an aiohttp endpoint at /slack/events, or a Socket Mode connection."""

from __future__ import annotations

import asyncio
import logging

import aiohttp
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest

from parley.adapters.slack.app import build_app, make_client
from parley.adapters.slack.guard import GuardedRunner, Refused, RequestGuard
from parley.core.inflight import InFlight
from parley.core.services import Services

log = logging.getLogger("parley.slack")
EVENTS_PATH = "/slack/events"
CLOSE_WITHIN_S = 3.0  # closing a socket Slack never answers must not outlast a stop


def web_app(app: AsyncApp, acks: InFlight | None = None, guard: RequestGuard | None = None
            ) -> web.Application:
    """POST /slack/events goes through ``guard`` (signature, payload, replays) to bolt (which
    Parley's own server builds not to verify the signature again); GET /health answers ok.
    ``acks`` counts the requests whose ack has not been sent yet."""

    pending = acks or InFlight()

    async def events(request: web.Request) -> web.Response:
        pending.enter()
        try:
            if guard is None:
                body = await request.text()
            else:
                try:
                    checked = await guard.body(request)
                except Refused as exc:
                    return guard.refused(request, exc)
                if checked is None:  # a replay of a request already handled: ack, do nothing
                    return web.Response(status=200, text="")
                body = checked
            bolt_request = AsyncBoltRequest(body=body, query=request.query_string,
                                            headers=request.headers)  # type: ignore[arg-type]
            return await to_aiohttp_response(await app.async_dispatch(bolt_request))
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
            # the guard in front checks every signature, so bolt does not check it again
            app = build_app(services, make_client(services), session, acks, verified=True)
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
    secret = settings.slack_signing_secret
    guard = RequestGuard(secret.get_secret_value() if secret else None, services,
                         settings.parley_slack_request_timeout_s)
    runner = GuardedRunner(web_app(app, acks, guard), settings.parley_slack_max_connections,
                           settings.parley_slack_request_timeout_s)
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
