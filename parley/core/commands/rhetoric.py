"""``/rhetoric``: the article's loaded terms and framing, by section, each quoted in place."""

from __future__ import annotations

from collections import Counter

from parley.core.analysis.rhetoric import quoted
from parley.core.commands import command
from parley.core.models import Reply, ReplySection, Request
from parley.core.services import Services
from parley.core.text import shorten
from parley.store import analysis as analysis_store
from parley.store import articles as article_store
from parley.store.analysis import StoredMark

# Each category's name for one and for several; a moderator's own category goes by its name.
LABELS = {"pejorative": ("loaded word", "loaded words"),
          "opponent_label": ("label for opponents", "labels for opponents"),
          "absolute": ("sweeping absolute", "sweeping absolutes"),
          "strawman": ("straw-man framing", "straw-man framings"),
          "charged": ("charged word", "charged words")}
PLAIN = "pejorative"  # a plain loaded word is quoted without a label
MAX_QUOTES_PER_SECTION = 12


def _counted(category: str, n: int) -> str:
    one, many = LABELS.get(category, (category, category))
    return f"{n} {one if n == 1 else many}"


def _term(mark: StoredMark) -> str:
    notes = [] if mark.category == PLAIN else [LABELS.get(mark.category, (mark.category,))[0]]
    if quoted(mark.sentence, mark.text):
        notes.append("quoted")
    return f"“{mark.text}”" + (f" ({', '.join(notes)})" if notes else "")


def heat_label(heat: float) -> str:
    if heat < 0.05:
        return "calm"
    if heat < 0.15:
        return "warm"
    return "heated" if heat < 0.3 else "charged"


@command("rhetoric", "The article's loaded language and how it frames its critics, quoted.")
async def rhetoric(request: Request, services: Services) -> Reply:
    article = await services.active_article(request)
    marks = await analysis_store.marks(services.db, article.id)
    views = await analysis_store.views(services.db, article.id)
    headings = [s.heading for s in await article_store.sections(services.db, article.id)]
    heats = await analysis_store.sentence_heat(services.db, article.id)
    # Counted from the marks: a sentence's heat also rises a little for "!" and "?".
    holding = len({m.sentence_id for m in marks})
    found = (f"{len(marks)} loaded {'term' if len(marks) == 1 else 'terms'} in {holding} of "
             f"{len(heats)} sentences." if marks else f"no loaded terms in its {len(heats)} "
             "sentences.")
    summary = f"Heat {article.heat:.2f} ({heat_label(article.heat)}): {found}"
    if marks:
        counts = Counter(m.category for m in marks)
        summary += " " + ", ".join(_counted(c, n) for c, n in counts.most_common()) + "."
        reported = sum(1 for m in marks if quoted(m.sentence, m.text))
        who = ("It is" if len(marks) == 1 else "All are" if reported == len(marks)
               else f"{reported} of them {'is' if reported == 1 else 'are'}")
        if reported:
            summary += f" {who} quoted from others, not the article's own words."
    sections = []
    for index, heading in enumerate(headings):
        here = [m for m in marks if m.section == index]
        if not here:
            continue
        by_sentence: dict[str, list[StoredMark]] = {}
        for m in here:
            by_sentence.setdefault(m.sentence_id, []).append(m)
        lines = [", ".join(_term(m) for m in group) + f" — _{shorten(group[0].sentence, 240)}_"
                 for group in list(by_sentence.values())[:MAX_QUOTES_PER_SECTION]]
        if len(by_sentence) > MAX_QUOTES_PER_SECTION:
            lines.append(f"…and {len(by_sentence) - MAX_QUOTES_PER_SECTION} more sentences.")
        sections.append(ReplySection(title=heading or "Opening", text="\n".join(lines)))
    if views:
        sections.append(ReplySection(
            title="Views the article argues against, stated plainly",
            text="\n".join(f"• {v.statement}" + (" _(the article frames this dismissively)_"
                                                 if v.framed else "") for v in views)))
    if not marks and not views:
        summary += " The article's language reads as neutral."
    return Reply(
        title=f"Rhetoric in “{shorten(article.title, 150)}”", text=summary, sections=sections,
        data={"article": article.id, "heat": article.heat, "kind": article.kind,
              "terms": [{"text": m.text, "term": m.term, "category": m.category,
                         "sentence_id": m.sentence_id, "sentence": m.sentence,
                         "section": m.section} for m in marks],
              "views": [v.model_dump() for v in views]},
    )
