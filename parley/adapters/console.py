"""The console adapter: slash commands typed as in chat; replies' Markdown drawn for a terminal."""

from __future__ import annotations

import asyncio
import contextlib
import io
import re
import sys
from pathlib import Path
from typing import TextIO

from rich.console import Console as RichConsole
from rich.console import Group, RenderableType
from rich.markdown import Markdown
from rich.rule import Rule
from rich.text import Text

from parley.core.models import Picture, Reply, Request, Role
from parley.core.platform import Poster, PostKey
from parley.core.registry import run_line
from parley.core.services import Services
from parley.core.settings import Settings
from parley.core.text import render_member_text

PROMPT = "parley> "
HISTORY_SIZE = 1000
WIDTH = 100


_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~])")


def _plain(text: str) -> str:
    return render_member_text(text, lambda t: t)


def _markdown(text: str) -> Markdown:
    # Replies treat every line break as meant (as chat platforms do), so each is a hard break;
    # links are shown with their address, never as a bare clickable label. A member's words are
    # backslash-escaped, so they show as typed, never as Markdown.
    text = render_member_text(text, lambda t: _MARKDOWN.sub(r"\\\1", t))
    return Markdown(text.replace("\n", "  \n"), hyperlinks=False)


def renderable(reply: Reply) -> RenderableType:
    """A reply as rich renderables: the title as a rule, Markdown bodies, sources, next steps."""
    parts: list[RenderableType] = []
    if reply.title:
        parts.append(Rule(Text(_plain(reply.title), style="bold"), align="left"))
    if reply.text:
        parts.append(_markdown(reply.text))
    for section in reply.sections:
        parts += [Text(""), Text(_plain(section.title), style="bold underline"),
                  _markdown(section.text)]
    if reply.sources:
        parts += [Text(""), Text("Sources:", style="bold")]
        parts += [Text(f"  - {_plain(s.title)}" + (f" <{s.url}>" if s.url else ""))
                  for s in reply.sources]
    if reply.actions:
        parts += [Text(""), Text("Next: " + "  |  ".join(f"{a.label}: {a.command}"
                                                       for a in reply.actions), style="dim")]
    return Group(*parts)


def picture_folder(settings: Settings) -> Path:
    """Where the console saves the pictures replies carry: beside the database."""
    return Path(settings.parley_db).expanduser().parent / "pictures"


def save_pictures(pictures: list[Picture], folder: Path) -> list[Path]:
    """Write each picture to ``folder`` (named by its content, so saving again is harmless)."""
    folder.mkdir(parents=True, exist_ok=True)
    saved = []
    for picture in pictures:
        path = folder / Path(picture.name).name
        if not path.exists():
            path.write_bytes(picture.data)
        saved.append(path)
    return saved


def attachments(reply: Reply, saved: list[Path]) -> list[dict[str, object]]:
    """The saved pictures as ``parley ask --json`` lists them."""
    return [{"type": p.media_type, "path": str(path), "alt": p.alt, "width": p.width,
             "height": p.height} for p, path in zip(reply.pictures, saved, strict=True)]


def render_terminal(reply: Reply, color: bool = False, width: int = WIDTH,
                    saved: list[Path] | None = None) -> str:
    """A reply rendered for a terminal: Markdown formatted (ANSI styles only when ``color``),
    and each picture as its words and the file it was saved to."""
    buffer = io.StringIO()
    out = RichConsole(file=buffer, width=width, force_terminal=color, no_color=not color,
                      color_system="standard" if color else None, highlight=False,
                      emoji=False, markup=False, soft_wrap=False)
    out.print(renderable(reply))
    for picture, path in zip(reply.pictures, saved or [], strict=False):
        out.print(Text(f"\nPicture: {picture.alt}"))
        out.print(Text(f"  saved as {path}"), soft_wrap=True)  # a path stays whole
    return "\n".join(line.rstrip() for line in buffer.getvalue().splitlines()).strip()


def _enable_history(path: Path) -> None:
    try:
        import readline
    except ImportError:  # not on every platform; the prompt still works without history
        return
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists():
            readline.read_history_file(path)
    readline.set_history_length(HISTORY_SIZE)
    import atexit
    atexit.register(lambda: _save_history(readline, path))


def _save_history(readline: object, path: Path) -> None:
    with contextlib.suppress(OSError):
        readline.write_history_file(path)  # type: ignore[attr-defined]


def _is_terminal(out: TextIO) -> bool:
    return bool(getattr(out, "isatty", lambda: False)())


class ConsolePoster:
    """Digests for console subscriptions: printed to standard output."""

    def __init__(self, out: TextIO | None = None) -> None:
        self.out = out or sys.stdout

    async def post(self, channel: str, reply: Reply, key: PostKey | None = None) -> str:
        text = render_terminal(reply, color=_is_terminal(self.out))
        self.out.write(f"--- digest for #{channel} ---\n{text}\n")
        self.out.flush()
        return f"console:{channel}"


class Console:
    """A read-eval-print loop over the core, one person at a time."""

    def __init__(self, services: Services, role: Role = Role.ADMIN, channel: str = "console",
                 out: TextIO | None = None) -> None:
        self.services = services
        self.base = Request(platform="console", workspace="local", channel=channel,
                            user="console-user", user_name="you", role=role, command="help")
        self.out = out or sys.stdout

    async def handle(self, line: str) -> Reply:
        return await run_line(self.services.registry, line, self.base, self.services)

    def write(self, text: str) -> None:
        self.out.write(text + "\n")
        self.out.flush()

    async def run(self, stdin: TextIO | None = None) -> int:
        stdin = stdin or sys.stdin
        interactive = stdin.isatty()
        if interactive:
            _enable_history(Path(self.services.settings.parley_db).parent / "console_history")
        article = await self._banner()
        self.write(f"Parley console — discussing: {article}. Type /help, or /quit to leave.")
        while True:
            try:
                line = await asyncio.to_thread(self._read, stdin, interactive)
            except (EOFError, KeyboardInterrupt):
                self.write("")
                return 0
            line = line.strip()
            if not line:
                continue
            if line in ("/quit", "/exit", "quit", "exit"):
                return 0
            if not line.startswith("/"):
                self.write("Commands start with /. Try /help.")
                continue
            reply = await self.handle(line)
            saved = save_pictures(reply.pictures, picture_folder(self.services.settings))
            self.write(render_terminal(reply, color=_is_terminal(self.out), saved=saved) + "\n")

    @staticmethod
    def _read(stdin: TextIO, interactive: bool) -> str:
        if interactive:
            return input(PROMPT)
        line = stdin.readline()
        if not line:
            raise EOFError
        return line

    async def _banner(self) -> str:
        try:
            article = await self.services.active_article(self.base)
        except Exception:
            return "no article yet"
        return f"{article.title} ({article.id})"


class ConsolePlatform:
    """The console as a platform: served when no chat platform is configured; its digests
    (for console subscriptions) are printed."""

    name = "console"
    fallback = True

    def __init__(self, role: Role = Role.ADMIN, channel: str = "console") -> None:
        self.role, self.channel = role, channel

    def configured(self, settings: Settings) -> bool:
        return True

    def problem(self, settings: Settings) -> str | None:
        return None

    def poster(self, services: Services) -> Poster:
        return ConsolePoster()

    async def serve(self, services: Services, stop: asyncio.Event) -> None:
        """The prompt until its input ends (``stop`` is for the chat platforms beside it)."""
        await Console(services, role=self.role, channel=self.channel).run()
