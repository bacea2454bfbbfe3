"""Platform-free data models: the Request/Reply contract and the article domain."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from parley.core.roles import Role as Role  # re-exported: where callers have found it

Platform = Literal["console", "discord", "slack", "cli"]


class Request(BaseModel):
    """One command invocation, as every adapter hands it to the core."""

    model_config = ConfigDict(frozen=True)

    platform: Platform = "console"
    workspace: str = "local"
    channel: str = "console"
    user: str = "console-user"
    user_name: str = ""
    role: Role = Role.MEMBER
    command: str
    args: dict[str, Any] = Field(default_factory=dict)


ReplyKind = Literal["answer", "info", "error", "usage", "denied", "not_found"]
Status = Literal["neutral", "good", "warning", "bad"]


class Source(BaseModel):
    """A citation shown under a reply."""

    title: str
    url: str | None = None


class ReplySection(BaseModel):
    """A titled block of a reply (an embed field, a Block Kit section, a paragraph)."""

    title: str
    text: str


class Action(BaseModel):
    """A button the platform may render; ``command`` is run when it is pressed."""

    label: str
    command: str
    style: Literal["primary", "secondary", "danger"] = "secondary"


class Picture(BaseModel):
    """A picture a reply carries (a chart): the bytes, their type, and words for who cannot see
    it (screen readers, platforms that show no images)."""

    name: str
    media_type: Literal["image/png"] = "image/png"
    data: bytes = Field(repr=False)
    alt: str
    width: int
    height: int


class Reply(BaseModel):
    """What the core answers; adapters only render it."""

    kind: ReplyKind = "answer"
    title: str = ""
    text: str = ""
    sections: list[ReplySection] = Field(default_factory=list)
    sources: list[Source] = Field(default_factory=list)
    ephemeral: bool = False
    status: Status = "neutral"
    actions: list[Action] = Field(default_factory=list)
    data: dict[str, Any] = Field(default_factory=dict)
    # Not part of the JSON form: adapters render them (``parley ask --json`` lists the files).
    pictures: list[Picture] = Field(default_factory=list, exclude=True)

    @property
    def is_error(self) -> bool:
        return self.kind in ("error", "usage", "denied", "not_found")


SourceFormat = Literal["text", "markdown", "html", "url"]


class ParsedSentence(BaseModel):
    """A sentence found by segmentation, before it is stored."""

    paragraph: int
    text: str


class ParsedSection(BaseModel):
    """A section of an article: an optional heading and its sentences."""

    heading: str = ""
    sentences: list[ParsedSentence] = Field(default_factory=list)


class ParsedArticle(BaseModel):
    """An article as ingestion produces it, ready to be stored in one transaction."""

    title: str
    standfirst: str = ""
    outlet: str = ""
    author: str = ""
    published: date | None = None
    url: str | None = None
    source_format: SourceFormat = "text"
    origin_note: str = ""
    sections: list[ParsedSection]

    @property
    def sentence_count(self) -> int:
        return sum(len(s.sentences) for s in self.sections)


class Sentence(BaseModel):
    """A stored sentence with its stable id ``slug#s<section>.<index>``."""

    id: str
    article_id: str
    section: int
    index: int
    paragraph: int
    text: str


class Section(BaseModel):
    """A stored section of an article."""

    index: int
    heading: str


class Article(BaseModel):
    """A stored article's metadata."""

    id: str
    title: str
    standfirst: str = ""
    outlet: str = ""
    author: str = ""
    published: date | None = None
    url: str | None = None
    source_format: str = "text"
    origin_note: str = ""
    content_hash: str
    word_count: int = 0
    ingested_at: datetime
    kind: str = "news"
    heat: float = 0.0
    analysis_stamp: str = ""  # changes whenever the analysis is written again

    def byline(self, with_kind: bool = False) -> str:
        """``By Paul Baker · BreakingCentral · 8 April 2025`` with whatever is known."""
        parts = [self.kind.replace("factcheck", "fact check").capitalize()] if with_kind else []
        if self.author:
            parts.append(f"By {self.author}")
        if self.outlet:
            parts.append(self.outlet)
        if self.published:
            parts.append(f"{self.published.day} {self.published:%B %Y}")
        return " · ".join(parts)
