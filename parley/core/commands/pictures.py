"""``/pictures``: a channel's choice of charts in replies and digests (moderators)."""

from __future__ import annotations

from parley.core.charts.attach import PICTURES_KEY
from parley.core.commands import command
from parley.core.models import Reply, Request, Role
from parley.core.registry import Param
from parley.core.services import Services
from parley.store import audit, config


@command("pictures", "Turn charts in this channel's replies and digests on or off.",
         Param("choice", "on or off.", kind="choice", choices=("on", "off")),
         role=Role.MODERATOR)
async def pictures(request: Request, services: Services) -> Reply:
    on = request.args["choice"] == "on"
    scope = config.channel_scope_id(request.platform, request.workspace, request.channel)
    async with services.db.transaction() as conn:
        await config.set_value_in(conn, "channel", scope, PICTURES_KEY, on, services.now())
        await audit.record(conn, request, "pictures", request.channel, {"on": on},
                           services.now())
    return Reply(kind="info", data={"pictures": on},
                 text="Charts are on here: `/claims`, `/counterpoint` and digests carry them, "
                      "each with a description in words." if on else
                      "Charts are off here: replies and digests are words only.")
