"""What /counterpoint and /coverage read: the passages of other outlets on each main point,
other leanings first, and the event's coverage split by leaning."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import date
from typing import TypeVar

from pydantic import BaseModel, Field

from parley.core.analysis.quotations import speakers_by_sentence
from parley.core.analysis.tokens import fold
from parley.core.coverage.leanings import LEANINGS, UNRATED, leaning_of, outlet_of
from parley.core.coverage.match import TOPIC_MIN
from parley.core.models import Article
from parley.store import articles as article_store
from parley.store import coverage as coverage_store
from parley.store.db import Database

PER_POINT = 2
POINTS = 5
BROADER = 3  # other outlets' articles shown on the topic when no passage addresses a point
BROADER_FETCHED = 12  # the closest linked articles read for them (same-outlet ones drop)


class Quoted(BaseModel):
    """Another outlet's article, with where it comes from."""

    article: str
    title: str
    outlet: str
    leaning: str
    published: date | None = None
    url: str | None = None
    score: float
    # the sentence quoted of it is inside someone's quotation of several sentences (their
    # words, not the outlet's), and whose, where the article names them
    quoted: bool = False
    speaker: str | None = None
    # the same of the article's own point it is quoted against, where there is one
    point_quoted: bool = False
    point_speaker: str | None = None

    def shown(self) -> str | None:
        """The id of the sentence quoted of it."""
        return None

    def on_point(self) -> str | None:
        """The id of the article's point it is quoted against."""
        return None


class Passage(Quoted):
    """Another outlet's passage, with where it comes from."""

    passage: str
    text: str


class OtherCoverage(Passage):
    """A passage from another outlet quoted against one of the article's points."""

    point: str
    point_text: str
    stance: str

    def shown(self) -> str | None:
        return self.passage

    def on_point(self) -> str | None:
        return self.point


P = TypeVar("P", bound=Quoted)


def other_leanings_first(items: Sequence[P], leaning: str, limit: int,
                         prefer: Callable[[P], bool] = lambda _: True) -> list[P]:
    """Up to ``limit`` of ``items``, one an outlet: those of another leaning than ``leaning``
    (the article's own) first, then those ``prefer`` says, then the higher score."""
    ordered = sorted(items, key=lambda r: (r.leaning in (leaning, UNRATED)
                                           and leaning != UNRATED, not prefer(r), -r.score,
                                           r.article))
    picked: list[P] = []
    for item in ordered:
        if all(fold(p.outlet) != fold(item.outlet) for p in picked):
            picked.append(item)
            if len(picked) == limit:
                break
    return picked


async def own_leaning(db: Database, article: Article) -> tuple[str, str, dict[str, str]]:
    overrides = await coverage_store.leaning_overrides(db)
    return (fold(outlet_of(article.outlet, article.url)),
            leaning_of(article.outlet, article.url, overrides), overrides)


async def other_coverage(db: Database, article: Article, point: str | None = None
                         ) -> list[OtherCoverage]:
    """Per main point (or one point, by sentence id), up to two passages from other outlets,
    those of another leaning first; points with the strongest passages first."""
    outlet, leaning, overrides = await own_leaning(db, article)
    by_point: dict[str, list[OtherCoverage]] = defaultdict(list)
    for row in await coverage_store.matches_for(db, article.id):
        if point is not None and row.point != point:
            continue
        name = outlet_of(row.outlet, row.url)
        if outlet and fold(name) == outlet:
            continue
        by_point[row.point].append(OtherCoverage(
            point=row.point, point_text=row.point_text, article=row.other_id,
            passage=row.passage, text=row.text, title=row.title, outlet=name,
            leaning=leaning_of(row.outlet, row.url, overrides), published=row.published,
            url=row.url, stance=row.stance, score=row.score))
    chosen = [other_leanings_first(rows, leaning, PER_POINT) for rows in by_point.values()]
    chosen.sort(key=lambda rows: (-rows[0].score, rows[0].point))
    return await _whose(db, [row for rows in chosen[:POINTS] for row in rows])


Q = TypeVar("Q", "OtherCoverage", "BroaderCoverage")


async def _whose(db: Database, items: list[Q]) -> list[Q]:
    """The items, each sentence quoted of them, and the article's point it answers, marked as
    someone's words where it sits inside their quotation of several sentences (one query for
    all of them)."""
    ids = [i for c in items for i in (c.shown(), c.on_point()) if i]
    context = await article_store.around(db, ids)

    def whose(sentence: str | None) -> tuple[bool, str | None]:
        if not sentence:
            return False, None
        speakers = speakers_by_sentence(context.get(sentence, []))
        return sentence in speakers, speakers.get(sentence)

    out = []
    for c in items:
        (quoted, speaker), (point_quoted, point_speaker) = whose(c.shown()), whose(c.on_point())
        out.append(c.model_copy(update={"quoted": quoted, "speaker": speaker,
                                        "point_quoted": point_quoted,
                                        "point_speaker": point_speaker})
                   if quoted or point_quoted else c)
    return out


class BroaderCoverage(Quoted):
    """Another outlet's article on the same broader topic: shown only when no passage addresses
    the article's points, and never as the same event. ``text`` is its passage nearest one of
    the article's main points (``point_text``), with its ``stance``, when one is near enough;
    otherwise it is None, the article is coverage of the topic, not of this point, and
    ``main_claim`` (its own most check-worthy claim) is what can be quoted of it."""

    passage: str | None = None
    text: str | None = None
    point: str | None = None
    point_text: str | None = None
    stance: str | None = None
    nearness: float | None = None
    main_claim: str | None = None
    main_claim_sentence: str | None = None

    def shown(self) -> str | None:
        return self.passage if self.text is not None else self.main_claim_sentence

    def on_point(self) -> str | None:
        return self.point if self.text is not None else None


async def broader_rows(db: Database, article_id: str, outlet: str, least: float = TOPIC_MIN
                       ) -> list[coverage_store.Broader]:
    """The closest linked articles from other outlets than ``outlet`` (folded), best first."""
    rows = await coverage_store.broader(db, article_id, least, BROADER_FETCHED)
    return [r for r in rows if not outlet or fold(outlet_of(r.outlet, r.url)) != outlet]


async def broader_coverage(db: Database, article: Article, least: float = TOPIC_MIN
                           ) -> list[BroaderCoverage]:
    """Up to ``BROADER`` other outlets' articles on the article's topic, one an outlet: other
    leanings first, then those with a passage near one of the article's points (quoted), then
    the closest in topic."""
    outlet, leaning, overrides = await own_leaning(db, article)
    items = [BroaderCoverage(article=r.id, passage=r.passage, text=r.text, title=r.title,
                             outlet=outlet_of(r.outlet, r.url),
                             leaning=leaning_of(r.outlet, r.url, overrides),
                             published=r.published, url=r.url, score=r.score, point=r.point,
                             point_text=r.point_text, stance=r.stance, nearness=r.passage_score,
                             main_claim=r.main_claim, main_claim_sentence=r.main_claim_sentence)
             for r in await broader_rows(db, article.id, outlet, least)]
    return await _whose(db, other_leanings_first(items, leaning, BROADER,
                                                 prefer=lambda c: c.text is not None))


class CoverageSplit(BaseModel):
    """An event's coverage by leaning, the article itself included."""

    leaning: str
    counts: dict[str, int]
    outlets: dict[str, list[str]] = Field(default_factory=dict)
    articles: list[str] = Field(default_factory=list)
    missing: list[str] = Field(default_factory=list)
    same_event: bool = True


async def coverage_split(db: Database, article: Article) -> CoverageSplit:
    """The articles on the same event (same topic, a few days apart, sharing names), by leaning;
    when none is that close, the same topic's (linked at ``TOPIC_MIN`` or closer). ``missing``
    lists leanings with no coverage."""
    _, leaning, overrides = await own_leaning(db, article)
    related = await coverage_store.related(db, article.id)
    event = [r for r in related if r.same_event]
    same_event = bool(event)
    group = [(article.id, article.outlet, article.url)] + [
        (r.id, r.outlet, r.url) for r in (event or [r for r in related if r.score >= TOPIC_MIN])]
    outlets: dict[str, list[str]] = {name: [] for name in (*LEANINGS, UNRATED)}
    counts = dict.fromkeys((*LEANINGS, UNRATED), 0)
    for _, name, url in group:
        side = leaning_of(name, url, overrides)
        counts[side] += 1
        shown = outlet_of(name, url) or "an unnamed outlet"
        if shown not in outlets[side]:
            outlets[side].append(shown)
    missing = [side for side in LEANINGS if not counts[side]] if len(group) > 1 else []
    return CoverageSplit(leaning=leaning, counts=counts,
                         outlets={k: v for k, v in outlets.items() if v},
                         articles=[a for a, _, _ in group], missing=missing,
                         same_event=same_event)
