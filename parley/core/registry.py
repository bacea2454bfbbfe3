"""The command registry: names, typed parameters, roles and handlers, and the one dispatch path."""

from __future__ import annotations

import logging
import math
import secrets
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from rapidfuzz import process

from parley.core.errors import UsageError, UserError
from parley.core.models import Reply, Request, Role
from parley.core.text import clean_input, normalise_space
from parley.store.db import StoreBusy, StoreDamaged, StoreError, StoreFull, StoreReadOnly

if TYPE_CHECKING:
    from parley.core.services import Services

log = logging.getLogger("parley.core")

Handler = Callable[["Request", "Services"], Awaitable[Reply]]
ParamKind = Literal["text", "int", "choice"]
Completion = Literal["article", "claim", "topic", "command"] | None


@dataclass(frozen=True)
class Param:
    """One typed parameter of a command."""

    name: str
    description: str
    kind: ParamKind = "text"
    required: bool = True
    choices: tuple[str, ...] = ()
    greedy: bool = False
    tail: bool = False  # takes the line's last word, before a greedy parameter takes the rest
    max_length: int = 2000
    min_value: int | None = None
    max_value: int | None = None
    complete: Completion = None
    default: Any = None

    def usage(self) -> str:
        label = "|".join(self.choices) if self.kind == "choice" else self.name
        return f"<{label}>" if self.required else f"[{label}]"

    def convert(self, raw: Any) -> Any:
        """Validate and coerce one argument, raising UsageError with a plain reason."""
        if raw is None or (isinstance(raw, str) and not clean_input(raw).strip()):
            if self.required:
                raise UsageError(f"`{self.name}` is required.")
            return self.default
        if self.kind == "int":
            try:
                value = int(str(raw).strip())
            except ValueError:
                raise UsageError(f"`{self.name}` must be a whole number.") from None
            if self.min_value is not None and value < self.min_value:
                raise UsageError(f"`{self.name}` must be at least {self.min_value}.")
            if self.max_value is not None and value > self.max_value:
                raise UsageError(f"`{self.name}` must be at most {self.max_value}.")
            return value
        text = clean_input(str(raw)).strip()
        if len(text) > self.max_length:
            raise UsageError(f"`{self.name}` is too long ({len(text):,} characters; "
                             f"the limit is {self.max_length:,}).")
        if self.kind == "choice":
            lowered = text.lower()
            if lowered not in self.choices:
                raise UsageError(f"`{self.name}` must be one of: {', '.join(self.choices)}.")
            return lowered
        return text


@dataclass(frozen=True)
class Command:
    """A command as every adapter exposes it."""

    name: str
    description: str
    handler: Handler
    params: tuple[Param, ...] = ()
    role: Role = Role.MEMBER
    slow: bool = False
    ephemeral: bool = False
    contributes: bool = False  # a member's write (a rating, a contribution): rate-limited harder
    # On platforms where a command with sub-commands cannot take arguments itself (Discord),
    # the group's own command is offered as this sub-command.
    sub_label: str = "run"
    # The label of a message command ("Apps" on a Discord message, a Slack message shortcut):
    # the message's text becomes the command's first parameter. Empty: no message command.
    message: str = ""

    @property
    def group(self) -> str:
        return self.name.split(" ", 1)[0]

    def usage(self) -> str:
        return " ".join(["/" + self.name, *(p.usage() for p in self.params)])

    def message_args(self, text: str) -> dict[str, Any]:
        """The raw arguments of this command run on a message: the message's text, shortened
        to what the first parameter accepts (a long message is checked by its beginning)."""
        if not self.params:
            return {}
        first = self.params[0]
        cleaned = normalise_space(clean_input(text))
        if len(cleaned) > first.max_length:
            cleaned = cleaned[: first.max_length - 1].rsplit(" ", 1)[0] + "…"
        return {first.name: cleaned}


@dataclass
class Registry:
    """Every command Parley knows, in registration order."""

    commands: dict[str, Command] = field(default_factory=dict)

    def add(self, cmd: Command) -> Command:
        if cmd.name in self.commands:
            raise ValueError(f"command {cmd.name!r} registered twice")
        greedy = [p for p in cmd.params if p.greedy]
        tails = [p for p in cmd.params if p.tail]
        if greedy and [p for p in cmd.params if not p.tail][-1] is not greedy[0]:
            raise ValueError(f"{cmd.name}: only the last parameter may be greedy")
        if tails and (cmd.params[-1] is not tails[0] or len(tails) > 1 or not greedy):
            raise ValueError(f"{cmd.name}: a tail parameter must follow a greedy one, last")
        if cmd.message and (not cmd.params or cmd.params[0].kind != "text"
                            or any(p.required for p in cmd.params[1:])):
            raise ValueError(f"{cmd.name}: a message command takes the text as its one "
                             "required parameter")
        if cmd.message and self.by_message(cmd.message) is not None:
            raise ValueError(f"message command {cmd.message!r} registered twice")
        self.commands[cmd.name] = cmd
        return cmd

    def __iter__(self) -> Iterator[Command]:
        return iter(self.commands.values())

    def get(self, name: str) -> Command | None:
        return self.commands.get(normalise_space(name.lstrip("/")).lower())

    def message_commands(self) -> list[Command]:
        """The commands offered on a message, in registration order."""
        return [c for c in self if c.message]

    def by_message(self, label: str) -> Command | None:
        """The command a message command's label (or its Slack callback id) names."""
        return next((c for c in self if c.message and label in (c.message, callback_id(c))),
                    None)

    def groups(self) -> dict[str, list[Command]]:
        """Commands by their first word, for platforms with sub-commands."""
        out: dict[str, list[Command]] = {}
        for cmd in self:
            out.setdefault(cmd.group, []).append(cmd)
        return out

    def suggest(self, name: str) -> str | None:
        """The closest command name to a mistyped one, if any is close."""
        match = process.extractOne(name.lstrip("/").lower(), list(self.commands), score_cutoff=70)
        return match[0] if match else None

    def parse(self, line: str) -> tuple[Command, dict[str, Any]]:
        """Split a typed line such as ``/article use peru`` into a command and its raw args."""
        text = clean_input(line).strip()
        if not text.startswith("/"):
            raise UsageError("Commands start with `/`. Try `/help`.")
        words = text[1:].split()
        if not words:
            raise UsageError("Type a command after `/`. Try `/help`.")
        for size in (2, 1):
            name = " ".join(words[:size]).lower()
            cmd = self.commands.get(name)
            if cmd is not None and len(words) >= size:
                rest = text[1:].lstrip()
                for _ in range(size):
                    rest = rest[len(rest.split(None, 1)[0]):].lstrip()
                return cmd, bind_args(cmd, rest)
        head = words[0].lower()
        subs = [c for c in self if c.group == head]
        if subs:
            options = ", ".join(f"`/{c.name}`" for c in subs)
            raise UsageError(f"`/{head}` needs a sub-command: {options}.")
        hint = self.suggest(" ".join(words[:2])) or self.suggest(words[0])
        extra = f" Did you mean `/{hint}`?" if hint else ""
        raise UsageError(f"Unknown command `/{shorten_word(words[0])}`.{extra} Try `/help`.")


DECLARED = "parley_commands"  # the attribute :func:`declare` leaves on a handler


def declare(
    name: str,
    description: str,
    *params: Param,
    role: Role = Role.MEMBER,
    slow: bool = False,
    ephemeral: bool = False,
    contributes: bool = False,
    sub_label: str = "run",
    message: str = "",
) -> Callable[[Handler], Handler]:
    """Mark a handler as a command, without registering it anywhere: each running Parley
    builds its own registry from the marks (:func:`declared`)."""

    def mark(handler: Handler) -> Handler:
        cmd = Command(name, description, handler, tuple(params), role, slow, ephemeral,
                      contributes, sub_label, message)
        setattr(handler, DECLARED, (*declared(handler), cmd))
        return handler

    return mark


def declared(value: object) -> tuple[Command, ...]:
    """The commands :func:`declare` marked ``value`` with (none for anything else)."""
    found = getattr(value, DECLARED, ())
    return tuple(c for c in found if isinstance(c, Command)) if isinstance(found, tuple) else ()


def callback_id(cmd: Command) -> str:
    """The message command's identifier where a label cannot be one (Slack's callback_id)."""
    return "message_" + cmd.name.replace(" ", "_")


def shorten_word(word: str, limit: int = 40) -> str:
    return word if len(word) <= limit else word[: limit - 1] + "…"


def _next_token(text: str) -> tuple[str, str]:
    """Take one word, or one "quoted phrase", from the front of text."""
    text = text.lstrip()
    if text[:1] in ('"', "“"):
        closing = '"' if text[0] == '"' else "”"
        end = text.find(closing, 1)
        if end == -1:
            raise UsageError("A quoted argument is missing its closing quote.")
        return text[1:end], text[end + 1:]
    parts = text.split(None, 1)
    return parts[0], (parts[1] if len(parts) > 1 else "")


def bind_args(cmd: Command, text: str) -> dict[str, Any]:
    """Assign the words of ``text`` to the command's parameters in order."""
    args: dict[str, Any] = {}
    rest = text.strip()
    tail = next((p for p in cmd.params if p.tail), None)
    if tail is not None and rest:
        head, _, last = rest.rpartition(" ")
        args[tail.name], rest = last, head.strip()
    for param in cmd.params:
        if param.tail:
            continue
        if not rest:
            break
        if param.greedy:
            args[param.name], rest = rest, ""
        else:
            args[param.name], rest = _next_token(rest)
            rest = rest.strip()
    if rest:
        raise UsageError(f"Too many arguments. Usage: `{cmd.usage()}`")
    return args


def convert_args(cmd: Command, raw: dict[str, Any]) -> dict[str, Any]:
    """Validate every argument against its parameter; unknown names are refused."""
    unknown = set(raw) - {p.name for p in cmd.params}
    if unknown:
        raise UsageError(f"Unknown option `{sorted(unknown)[0]}`. Usage: `{cmd.usage()}`")
    try:
        return {p.name: p.convert(raw.get(p.name)) for p in cmd.params}
    except UsageError as exc:
        raise UsageError(f"{exc} Usage: `{cmd.usage()}`") from None


async def dispatch(registry: Registry, request: Request, services: Services) -> Reply:
    """Run one request: find the command, check the role, validate, handle, never raise."""
    cmd = registry.get(request.command)
    if cmd is None:
        hint = registry.suggest(request.command)
        extra = f" Did you mean `/{hint}`?" if hint else ""
        return Reply(kind="usage", title="Unknown command", ephemeral=True,
                     text=f"I don't know `/{shorten_word(request.command)}`.{extra} Try `/help`.")
    if request.role < cmd.role:
        return Reply(kind="denied", title="Not allowed", ephemeral=True,
                     text=f"`/{cmd.name}` is for {cmd.role.label}s; "
                          f"you are a {request.role.label}.")
    try:
        own_limits = await services.server_limits(request)
    except StoreError as exc:
        return store_failure(cmd.name, exc)
    throttle = await services.limits.check(request, cmd.contributes, own_limits)
    if cmd.contributes:  # the buckets abuse control needs most: saved before the write
        await services.save_limits()
    if throttle is not None:
        log.info("throttled", extra={"command": cmd.name, "platform": request.platform,
                                     "channel": request.channel, "scope": throttle.scope})
        return Reply(kind="error", title="Slow down", ephemeral=True,
                     text=f"That's more than {throttle.per_minute} a minute from "
                          f"{throttle.scope}. Try again in {math.ceil(throttle.seconds)} s.")
    try:
        args = convert_args(cmd, request.args)
        # Most arguments come already clean: the request as it is, not a copy of it.
        clean = args.keys() == request.args.keys() and all(
            type(v) is type(request.args[k]) and v == request.args[k] for k, v in args.items())
        converted = request if clean else request.model_copy(update={"args": args})
        reply = await cmd.handler(converted, services)
    except UserError as exc:
        return Reply(kind=exc.kind, title="Can't do that" if exc.kind == "error" else "",
                     text=str(exc), ephemeral=True)
    except StoreError as exc:
        log.error("store failed", extra={"command": cmd.name, "error": type(exc).__name__,
                                         "detail": str(exc)})
        return store_failure(cmd.name, exc)
    except Exception:
        ref = secrets.token_hex(3)
        log.exception("handler failed", extra={"command": cmd.name, "ref": ref,
                                               "platform": request.platform})
        return Reply(kind="error", title="Something went wrong", ephemeral=True,
                     text=f"`/{cmd.name}` failed on my side (ref {ref}); it has been logged.")
    if cmd.ephemeral and not reply.ephemeral:
        reply = reply.model_copy(update={"ephemeral": True})
    services.note_activity(request, cmd.name, str(args.get("question") or
                                                  args.get("topic") or ""))
    if log.isEnabledFor(logging.INFO):  # its fields are not gathered for nothing
        log.info("command", extra={"command": cmd.name, "platform": request.platform,
                                   "channel": request.channel, "kind": reply.kind})
    return reply


def store_failure(command: str, exc: StoreError) -> Reply:
    """What a member is told when the database, not their request, is the problem."""
    if isinstance(exc, StoreBusy):
        why = ("the database is busy with another writer. Nothing was changed; "
               "try again in a moment.")
    elif isinstance(exc, StoreFull):
        why = ("the database's disk is full. Nothing was saved; an admin needs to free space.")
    elif isinstance(exc, StoreReadOnly):
        why = ("the database is read-only (its file, folder or disk cannot be written). Nothing "
               "was saved; an admin needs to fix its permissions.")
    elif isinstance(exc, StoreDamaged):
        why = ("the database file is damaged. Nothing was saved; an admin can restore a backup "
               "with `parley restore`.")
    else:
        why = "the database could not be read or written. Nothing was saved; try again later."
    return Reply(kind="error", title="Database unavailable", ephemeral=True,
                 text=f"`/{command}` could not run: {why}")


RESTARTING = Reply(kind="error", title="Restarting", ephemeral=True,
                   text="Parley is restarting; nothing was done. Try again in a minute.")


async def run_line(registry: Registry, line: str, base: Request, services: Services) -> Reply:
    """Parse a typed command line and dispatch it with the identity of ``base``."""
    try:
        cmd, raw = registry.parse(line)
    except UsageError as exc:
        return Reply(kind="usage", title="", text=str(exc), ephemeral=True)
    return await dispatch(registry, base.model_copy(update={"command": cmd.name, "args": raw}),
                          services)
