"""``/fact``: the article's claims that answer a question, with their check status and sources."""

from __future__ import annotations

from parley.core.commands import command
from parley.core.errors import UserError
from parley.core.factcheck.verdicts import ICONS, REPLY_STATUS
from parley.core.models import Action, Article, Reply, ReplySection, Request, Source
from parley.core.registry import Param
from parley.core.search.lookup import Hit, article_index, lookup
from parley.core.search.rank import missing_names
from parley.core.services import Services
from parley.core.text import member_text, shorten
from parley.store.fresh import generation
from parley.store.memo import Memo

MORE_HITS = 4
REPLIES_MEMO = "fact.replies"  # per article (the store drops an article's on writing it)
REPLIES = 16  # each article remembers its replies to this many questions


def status_line(hit: Hit) -> str:
    line = f"{ICONS[hit.status]} **{hit.status.capitalize()}**"
    if hit.matched:
        line += " _(matched from an earlier check — review)_"
    if hit.checked_by:
        line += f" · checked by {hit.checked_by}"
    return line + (f": {hit.explanation}" if hit.explanation else "")


def quoted_note(quoted: bool, speaker: str | None) -> str:
    """What a claim inside someone's quotation of several sentences says of whose words they are
    (the sentence itself has no quotation marks): the speaker's, not the article's."""
    if not quoted:
        return ""
    return f" · quoting {shorten(speaker, 80)}" if speaker else " · inside a quotation"


def request_action(claim_id: str, label: str = "Request the other side") -> Action:
    """The button under a claim that asks contributors for its other side."""
    return Action(label=label, command=f"/counterpoint request {claim_id.rsplit('#', 1)[-1]}")


def as_source(ref: str) -> Source:
    is_url = ref.startswith(("http://", "https://"))
    return Source(title=shorten(ref, 200), url=ref if is_url else None)


@command("fact", "The article's claims that answer your question, with their check status.",
         Param("question", "Your question in plain words, e.g. “how much do the two countries "
               "trade?”", greedy=True, max_length=500, complete="topic"))
async def fact(request: Request, services: Services) -> Reply:
    """The reply is a function of the article's analysis, the question and the fact checks, so
    a question asked again is answered from memory until one of them changes."""
    article = await services.active_article(request)
    question = str(request.args["question"])
    key = (article.analysis_stamp, article.title, await generation(services.db), question)
    articles = services.db.memos.memo(REPLIES_MEMO)
    replies: Memo[Reply] | None = articles.get(article.id)
    if replies is None:
        replies = Memo(REPLIES)
        articles.put(article.id, replies)
    reply = replies.get(key)
    if reply is None:
        reply = await _answer(services, article, question)
        replies.put(key, reply)
    return reply


async def _answer(services: Services, article: Article, question: str) -> Reply:
    query, hits = await lookup(services.db, article.id, question, stamp=article.analysis_stamp)
    if not query.terms:
        raise UserError("Ask about something the article might say, in plain words, e.g. "
                        "`/fact how much do the two countries trade?`")
    data = {"article": article.id, "question": question, "type": query.type,
            "hits": [h.model_dump(include={"id", "text", "status", "score", "sources", "kind",
                                           "explanation", "matched", "section", "quoted",
                                           "speaker"}) for h in hits]}
    if not hits:
        index = await article_index(services.db, article.id)
        absent = [n for n in missing_names(query, index.idf) if n]
        why = (f"The article never mentions {', '.join(n.title() for n in absent)}. "
               if absent else "")
        return Reply(kind="not_found", title="No claim answers that",
                     text=f"{why}I found nothing in “{shorten(article.title, 120)}” that "
                          "answers this. `/claims` lists every checkable claim in the article.",
                     data=data)
    best = hits[0]
    headings = (await article_index(services.db, article.id)).headings
    where = (f" — from “{headings[best.section]}”" if best.section is not None
             and headings[best.section] else "")
    label = "Known fact check" if best.kind == "factcheck" else f"`{best.id}`{where}"
    text = (f"> {shorten(best.text, 600)}\n{label}{quoted_note(best.quoted, best.speaker)}\n"
            f"{status_line(best)}")
    sections = []
    others = hits[1:1 + MORE_HITS]
    if others:
        sections.append(ReplySection(title="Related", text="\n".join(
            f"• {ICONS[h.status]} {shorten(h.text, 200)} (`{h.id}`"
            f"{quoted_note(h.quoted, h.speaker)})" for h in others)))
    actions = [request_action(best.id)] if best.kind == "claim" else []
    title = f"Fact: {member_text(shorten(question, 200))}"
    return Reply(title=title, text=text,
                 sections=sections, sources=[as_source(s) for s in best.sources],
                 status=REPLY_STATUS[best.status], actions=actions, data=data)
