"""Neutral extractive summaries: central, well-placed, non-redundant sentences, attributed.

Centrality is continuous LexRank over TF-IDF cosine similarity; a position prior favours the
opening of the article and of each section; claims add weight; maximal marginal relevance keeps
points from repeating. Only sentences free of loaded language are eligible, and a sentence opening
with a pronoun is used only right after the sentence it refers back to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from pydantic import BaseModel

from parley.core.analysis.boilerplate import is_boilerplate
from parley.core.analysis.kind import DATELINE, ArticleKind
from parley.core.analysis.rhetoric import IMPERATIVES
from parley.core.analysis.saying import INTRODUCING, SAYING, TAGS, alternation
from parley.core.analysis.similarity import Similarity, cosine_matrix, lexrank
from parley.core.analysis.speakers import is_verdict, speaker_name
from parley.core.analysis.standalone import (
    DANGLING,
    QUOTATION,
    balanced,
    doubled_word,
    fragment,
    has_main_verb,
    instruction,
    not_prose,
    title_case,
)
from parley.core.analysis.standalone import leans_back as _leans_back
from parley.core.analysis.tokens import words

MMR_LAMBDA = 0.7
MIN_WORDS = 6
MAX_WORDS = 50
BULLETS = 5
DETAILED_PER_SECTION = 2  # at least; fewer sections get more each
DETAILED_POINTS = 2 * BULLETS  # so the detailed summary of a one-section article is the longest
# Weights of centrality, position and claim strength in a sentence's score, by article kind.
WEIGHTS: dict[str, tuple[float, float, float]] = {
    "news": (0.35, 0.5, 0.15),
    "opinion": (0.5, 0.2, 0.3),
    "explainer": (0.45, 0.35, 0.2),
    "analysis": (0.5, 0.3, 0.2),
    "factcheck": (0.35, 0.45, 0.2),
    "interview": (0.45, 0.35, 0.2),
}
# In a transcript, an answer opening like this leans on the question before it.
ANSWER_OPENING = re.compile(r"^(?:because|yes|no|well|sure|absolutely|exactly|right)\b", re.I)

CLAUSE_PENALTY = 0.85
LOADED_PENALTY = 0.75  # a loaded sentence, attributed, only where no clean one does as well
# Where a sentence's main clause ends: what follows is subordinate ("…, while insisting that…")
# or a second independent clause after a semicolon. Words that are also prepositions or relatives
# ("as", "after", "since", "who") end it only after a comma: "seen as a traitor", "lived there
# since 1994", "the Americans who died" go on with the main clause. A dash ends it unless what
# follows qualifies what came before ("down — but only to …", "the line — between …").
_SUBORDINATOR_END = re.compile(r"\s+(?:so that|because|while|whereas|although|though|even as)\s+")
_COMMA_END = re.compile(r",\s+(while|even as|after|before|since|saying|adding|insisting|arguing|"
                        r"which|who|as(?! well\b))\s+")
_DASH_END = re.compile(r"\s+[—–]\s+(?!(?:but|unless|except|not|only|between|in spite)\b)")
# … but not where a comma's relative clause is an aside the main verb comes after ("journalist James
# Foley, who was beheaded by ISIS, was tortured"; "The skipper, who was hurt, praised …").
_ASIDE_CLOSES = re.compile(r"[^.;:!?]*?,\s+(?:is|was|are|were|has|have|had|will|would|can|could|"
                           r"should|may|might|must|did|does|do|[a-z]{3,}ed|[a-z]{3,}[^su\W]s)\b")
# A bare "as" ends it only before a clause of its own ("… smiled as the ferry left"), not before
# the complement of a verb that takes one ("seen as a traitor", "referring to them as Nazis").
_BARE_AS = re.compile(r"\s+as\s+")
_AS_SUBJECTS = frozenset("he she it they we i you".split())
_TAKES_AS = re.compile(r"\b(?:refer|describ|depict|see|saw|seen|view|regard|nam|know|label|brand|"
                       r"cast|portray|characteri[sz]|dismiss|attack|rank|treat|serv|act|identif|"
                       r"list|classif|defin|consider|count|use|chose|choos|elect|appoint|nominat|"
                       r"tout|hail|present|fram|paint|cit|criticiz|prais|such|same|well|so|just|"
                       r"far|much|many|long|soon)\w*(?:\s+\S+){0,6}$", re.I)
# A main clause cut after a word that needs what followed says nothing alone: a focusing word
# ("only", "not", "rather"), an auxiliary ("Obama might, as early as this week, …") or a word
# opening a clause ("… when they hear Trump say.").
_NEEDS_MORE = re.compile(r"\b(?:only|not|just|simply|solely|merely|mainly|largely|partly|"
                         r"precisely|exactly|rather|might|could|would|will|can|should|must|may|"
                         r"shall|is|are|was|were|be|been|being|has|have|had|do|does|did|say|says|"
                         r"tell|that|whether|than)$", re.I)
# … or one that is itself a subordinate clause, its main clause cut ("Since his judge is …").
_SUBORDINATE_OPENING = re.compile(r"^(?:since|because|although|though|while|if|when|unless|as|"
                                  r"after|before|whereas|whether)\b(?!.*,)", re.I)
# … or one whose "that" clause lost its verb ("… reported that journalist James Foley.").
_LAST_THAT = re.compile(r"\bthat\s+(?!.*\bthat\s)(.+)$", re.I)
_SEMICOLON = re.compile(r";\s+")
# A pair of dashes around an aside ("NATO – created in 1949 – has become obsolete"): the main
# clause goes on after it, so neither dash ends it.
_DASHED_ASIDE = re.compile(r"\s([—–])\s[^—–]{1,120}?\s\1\s")
# A main clause cut before its "as…/after…" that ends on a verb of timing says nothing alone.
_TIMING_VERB_END = re.compile(r"\b(?:came|comes|come|arrived|arrives|unfolded|followed|follows)$",
                              re.I)
# … or on the measure of time its cut "before…/after…" belonged to (", days before Stone was to
# report" → ", days."), or on a preposition whose object was cut ("programme - over which …").
_CUT_TIME_OR_PREPOSITION = re.compile(
    r",\s+(?:(?:just|only|about|some|nearly|barely|a few|several|a|an|\d+|one|two|three|four|five|"
    r"six|seven|eight|nine|ten)\s+)*(?:minutes?|hours?|days?|weeks?|months?|years?|moments?|"
    r"decades?)$|\b(?:over|under|about|through|across|against|upon|within|without|during|"
    r"including|among|beyond|toward|towards|in|on|at|by|for)$", re.I)
__all__ = ["DANGLING"]


@dataclass(frozen=True)
class Candidate:
    """A sentence (or a clean clause of a loaded one) as the summariser sees it."""

    index: int  # the sentence's position in the article
    section: int
    paragraph: int
    text: str
    heat: float
    opinion: bool
    claim_score: float
    boilerplate: bool = False
    clause: bool = False
    loaded: bool = False  # holds a loaded term in the article's own voice (not quoted)
    speaker: str | None = None  # in a transcript, who says it (the label is not in ``text``)
    quoted: bool = False  # part of someone's quotation that runs over several sentences

    @cached_property
    def leans(self) -> bool:
        """``leans_back``, worked out once: the summariser asks it at every pick."""
        return bool(_leans_back(self.text)
                    or (self.speaker is not None and ANSWER_OPENING.match(self.text)))


def leans_back(c: Candidate) -> bool:
    """Whether the sentence needs the one before it to make sense."""
    return c.leans


def _clause_follows_as(before: str, after: str) -> bool:
    segment = re.split(r"[,;:—–]", after, maxsplit=1)[0]
    first = segment.split(None, 1)[0].lower() if segment.strip() else ""
    if first in _AS_SUBJECTS:
        return True
    return (first not in ("a", "an", "well") and not _TAKES_AS.search(before)
            and has_main_verb(segment))


def _main_clause(part: str) -> str:
    """The part's main clause: what comes before its first subordinate clause, skipping a
    dashed aside, a comma's aside and an "as" that introduces a complement."""
    masked = _DASHED_ASIDE.sub(lambda m: "\x00" * len(m.group(0)), part)
    ends = [m.start() for pattern in (_SUBORDINATOR_END, _DASH_END)
            for m in pattern.finditer(masked)]
    ends += [m.start() for m in _COMMA_END.finditer(masked)
             if not (m.group(1) in ("which", "who") and _ASIDE_CLOSES.match(masked, m.end()))]
    ends += [m.start() for m in _BARE_AS.finditer(masked)
             if _clause_follows_as(part[:m.start()], part[m.end():])]
    return (part[:min(ends)] if ends else part).strip(" ,:-—–")


def _cut_short(main: str) -> bool:
    """Whether a main clause cut from its sentence still needs what was cut."""
    that = _LAST_THAT.search(main)
    return bool(_TIMING_VERB_END.search(main) or _CUT_TIME_OR_PREPOSITION.search(main)
                or _NEEDS_MORE.search(main) or _SUBORDINATE_OPENING.match(main)
                # "It" stands in for a relative "that"'s noun: "… an order that extends …".
                or (that and not has_main_verb(f"It {that.group(1)}")))


def clauses(text: str) -> list[str]:
    """The clauses of a sentence that stand as sentences: its main clause (what comes before a
    subordinate "while…", "because…", ", saying…") and any independent clause after a semicolon,
    each ending with a period. Never a clause cut from its main verb."""
    out = []
    parts = _SEMICOLON.split(text.rstrip(".!? "))
    for part in parts:
        main = _main_clause(part)
        if len(parts) == 1 and main == part.strip(" ,"):
            continue  # nothing to cut: the clause is the sentence itself
        candidate = main + "."
        if _cut_short(main):
            continue  # "The shut-offs … came." says nothing without its "as …"
        if (len(words(main)) >= MIN_WORDS and main[:1].isupper() and balanced(candidate)
                and not fragment(candidate) and not _leans_back(candidate)):
            out.append(candidate)
    return out


class SummaryItem(BaseModel):
    """One summary point, traceable to its sentence."""

    sentence: int
    section: int
    text: str
    attributed: bool


class Summary(BaseModel):
    """The three lengths, computed once per article."""

    kind: ArticleKind
    short: list[SummaryItem]
    bullets: list[SummaryItem]
    detailed: list[list[SummaryItem]]


def position_prior(candidates: list[Candidate]) -> list[float]:
    """High for the article's opening paragraphs and, less, for each section's first sentence."""
    first_in_section: dict[int, int] = {}
    for c in candidates:
        if not c.clause:
            first_in_section.setdefault(c.section, c.index)
    out = []
    for c in candidates:
        lead = 1.0 / (1.0 + 0.6 * c.paragraph)
        section_open = 0.3 if first_in_section[c.section] == c.index else 0.0
        out.append(min(1.0, lead + section_open))
    return out


def scores_for(candidates: list[Candidate], kind: ArticleKind, sim: Similarity) -> list[float]:
    centrality = lexrank(sim)
    position = position_prior(candidates)
    wc, wp, wk = WEIGHTS[kind]
    return [(wc * float(centrality[i]) + wp * position[i] + wk * c.claim_score)
            * (CLAUSE_PENALTY if c.clause else 1.0) * (LOADED_PENALTY if c.loaded else 1.0)
            for i, c in enumerate(candidates)]


# A sentence that is one quotation from end to end: its speaker is in another sentence.
_WHOLE_QUOTE = re.compile(r'^[“"][^“”"]+[”"]$')
_FIRST_PERSON = re.compile(r"\b(?:I|I'm|I’m|I've|I’ve|I'd|I’d|I'll|I’ll|me|my|myself|[Ww]e|[Oo]ur|"
                           r"us|ourselves)\b")


def eligible(c: Candidate, kind: ArticleKind = "news") -> bool:
    """Long enough to say something, short enough to read, not a question, not furniture, its
    quotes balanced and not a fragment nor page text (``not_prose``); not a quotation without its
    speaker, nor a sentence of a quotation running over several (``in_long_quotations``: the
    words are someone else's, though the sentence has no quotation marks), not an instruction
    to the reader, not a slip of the source ("the the"), not a headline in title case, not a
    heading in capitals, and in reporting not someone's first-person statement set out without
    quotation marks (the reporter does not say "I" or "we")."""
    if c.boilerplate or c.quoted:
        return False
    n = len(words(c.text))
    text = c.text.strip()
    # The cheap tests first; the grammar of ``fragment`` last.
    if (not MIN_WORDS <= n <= MAX_WORDS or text.rstrip("”\"’')").endswith("?")
            or not balanced(text) or instruction(text) or doubled_word(text)
            or title_case(text) or not_prose(text)):
        return False
    # A fact check's verdict label ("THE FACTS:") is the article's voice, not a speaker: a
    # quotation under it is someone else's, said in the sentence before.
    speaker = None if is_verdict(c.speaker) else c.speaker
    if speaker is None and _WHOLE_QUOTE.match(text.rstrip(".")):
        return False
    unquoted = QUOTATION.sub("", text)
    if kind in REPORTING and speaker is None and _FIRST_PERSON.search(unquoted):
        return False
    if capitals_heading(unquoted):
        return False
    return not fragment(text)


def capitals_heading(text: str) -> bool:
    """A heading or a script's line in capitals: more than four capitals to a small letter."""
    small_ascii = len(text) - len(text.translate(_NO_ASCII_SMALL))
    if len(text) <= 5 * small_ascii:
        return False  # capitals ≤ len − small ≤ 4 × small: decided without counting them
    return sum(map(str.isupper, text)) > 4 * sum(map(str.islower, text))


REPORTING = ("news", "factcheck", "explainer")
# A wire's tag in brackets opening the story: "(CNN) ", "(CNN) -- ", "(Reuters) - ".
# The place may come first, in ordinary capitals: "Vienna (CNN) ", "Hong Kong (CNN) ".
_WIRE_TAG = re.compile(r"^(?:[A-Z][\w.'’-]+(?:[ ,/]+[A-Z][\w.'’-]+){0,3}\s+)?"
                       r"\((?:CNN|AP|Reuters|AFP|UPI|Bloomberg|CNN Business|CNN Money|"
                       r"The Hill|Xinhua)\)\s*(?:[-–—]{1,2}\s*)?")
_SAYING = re.compile(rf"\b{alternation(SAYING)}\b", re.I)
# A quotation with its speaker next to it: "“…,” said Mike Louis", "“…,” China’s Foreign Ministry
# said", "saying the two were “closer than ever”", "called the probe a “witch hunt”".
_SPEAKER_AFTER = re.compile(r"[”\"],?\s+(?:(?:[A-Z][\w.'’-]*|the|a|an|of|and|in|on)\s+){0,6}?"
                            rf"{alternation(TAGS)}\b")
_SPEAKER_BEFORE = re.compile(rf"\b{alternation(INTRODUCING)}\b"
                             r"(?:\s+[\w’'.-]+){0,5}?[,:]?\s+[“\"]")
_NO_ASCII_SMALL = str.maketrans("", "", "abcdefghijklmnopqrstuvwxyz")


def mmr(order: list[int], scores: list[float], sim: Similarity, k: int, chosen: list[int],
        allowed: set[int], candidates: list[Candidate]) -> list[int]:
    """Add up to k sentences to ``chosen`` by maximal marginal relevance."""
    picked = list(chosen)
    while len(picked) < len(chosen) + k:
        best, best_value = None, float("-inf")
        for i in order:
            if i in picked or i not in allowed:
                continue
            if leans_back(candidates[i]) and (i - 1) not in picked:
                continue
            if any(candidates[j].index == candidates[i].index for j in picked):
                continue  # a sentence and its own clause never both
            redundancy = max((float(sim[i, j]) for j in picked), default=0.0)
            value = MMR_LAMBDA * scores[i] - (1 - MMR_LAMBDA) * redundancy
            if value > best_value:
                best, best_value = i, value
        if best is None:
            break
        picked.append(best)
    return picked


def pick(order: list[int], scores: list[float], sim: Similarity, k: int, chosen: list[int],
         allowed: set[int], candidates: list[Candidate]) -> list[int]:
    """Up to k more points, clean sentences first: a loaded one, attributed, only where no clean
    one is left to choose."""
    clean = {i for i in allowed if not candidates[i].loaded}
    picked = mmr(order, scores, sim, k, chosen, clean, candidates)
    missing = len(chosen) + k - len(picked)
    return mmr(order, scores, sim, missing, picked, allowed, candidates) if missing else picked


def extract(texts: list[str], n: int, kind: ArticleKind = "news",
            paragraphs: list[int] | None = None) -> list[int]:
    """Indices of the n sentences that best summarise plain text, in reading order."""
    candidates = [Candidate(i, 0, paragraphs[i] if paragraphs else i, t, 0.0, False, 0.0,
                            boilerplate=is_boilerplate(t)) for i, t in enumerate(texts)]
    if not candidates:
        return []
    sim = cosine_matrix(texts)
    scores = scores_for(candidates, kind, sim)
    allowed = {i for i, c in enumerate(candidates)
               if len(words(c.text)) >= 4 and not c.boilerplate}
    order = sorted(range(len(texts)), key=lambda i: -scores[i])
    return sorted(mmr(order, scores, sim, n, [], allowed, candidates))


def without_dateline(text: str) -> str:
    """The sentence without a wire dateline ("WASHINGTON (AP) — In escalating …" → "In
    escalating …", "(CNN) China's …" → "China's …"): a point reads as the article's, the place
    and the wire are not its news."""
    m = DATELINE.match(text) or _WIRE_TAG.match(text)
    rest = text[m.end():] if m else text
    return rest if rest[:1].isupper() or rest[:1] in "“\"" else text


def reports_speech(text: str) -> bool:
    """Whether the sentence is mostly someone's quoted words with who said them ("“…,” Warren
    said."): at least half its words inside quotation marks, a verb of saying outside them."""
    inside = sum(len(words(q)) for q in QUOTATION.findall(text))
    if 2 * inside < len(words(text)):
        return False
    return bool(_SAYING.search(QUOTATION.sub(" ", text)))


def quotes_speaker(text: str, share: float = 0.0) -> bool:
    """Whether the sentence quotes someone with their speaker next to the quotation ("“…,”
    said Mike Louis", "called the probe a “witch hunt”"): the words are theirs, attributed. With
    ``share``, the quotations must hold at least that share of the sentence's words (an
    author's own sentence around a quoted phrase is the author's)."""
    quotes = QUOTATION.findall(text)
    if not quotes:
        return False
    if share and sum(len(words(q)) for q in quotes) < share * len(words(text)):
        return False
    return bool(_SPEAKER_AFTER.search(text) or _SPEAKER_BEFORE.search(text))


_RECOMMENDED = frozenset("""the a an this that these those our their his her its it them all every
no congress lawmakers washington""".split())


def recommends(text: str) -> bool:
    """Whether the sentence opens on a verb telling the reader's leaders what to do ("Amend the
    2008 law …", "Close the loophole …"): in an opinion piece, the author's argument."""
    first = text.lstrip("“\"‘'(").split(None, 2)
    return (len(first) == 3 and first[0][:1].isupper() and first[0].lower() in IMPERATIVES
            and first[1].lower().strip(",") in _RECOMMENDED)


def render(c: Candidate, kind: ArticleKind,
           follows: SummaryItem | None = None) -> SummaryItem:
    """The sentence as a summary point: opinions attributed to the author, claims to the article,
    what is said in a transcript to its speaker.

    A sentence that refers back (``That is…``) continues the point before it, unprefixed.
    """
    text = c.text.strip()
    if not text.endswith((".", "!", "?", "…", '"', "”", "’", ")")):
        text += "."  # a standfirst or caption-less line without its full stop
    reported = reports_speech(text)
    # A judgement inside someone's quoted words, their name beside them, is theirs.
    judges = c.loaded or (c.opinion and not reported and not quotes_speaker(text))
    if follows is not None:
        joined = f"{follows.text} {text}"
        if judges and not follows.attributed:
            joined = f"The article says: {joined}"  # the continuation argues: so does the point
        return SummaryItem(sentence=follows.sentence, section=follows.section, text=joined,
                           attributed=follows.attributed or joined != f"{follows.text} {text}")
    if c.speaker is not None:
        out, attributed = f"{speaker_name(c.speaker)}: {text}", True
    elif kind in ("opinion", "analysis"):
        # Someone's quoted words, with who said them, are the author's report, not argument.
        # The author speaking in the first person around the quotation argues all the same.
        quoting = (quotes_speaker(text, share=1 / 3)
                   and not _FIRST_PERSON.search(QUOTATION.sub(" ", text)))
        argues = (c.opinion and not (reported or quoting)) or recommends(text)
        out, attributed = f"The author {'argues' if argues else 'writes'}: {text}", True
    elif kind == "factcheck":
        out, attributed = f"The fact check says: {text}", True
    elif judges:
        out, attributed = f"The article says: {text}", True
    else:
        out, attributed = text, False
    return SummaryItem(sentence=c.index, section=c.section, text=out, attributed=attributed)


def summarize(candidates: list[Candidate], kind: ArticleKind) -> Summary:
    """Short, bullet and per-section summaries of an analysed article."""
    if not candidates:
        return Summary(kind=kind, short=[], bullets=[], detailed=[])
    sim = cosine_matrix([c.text for c in candidates])
    scores = scores_for(candidates, kind, sim)
    order = sorted(range(len(candidates)), key=lambda i: -scores[i])
    allowed = {i for i, c in enumerate(candidates) if eligible(c, kind)}
    sections = sorted({c.section for c in candidates})

    def items(positions: list[int]) -> list[SummaryItem]:
        out: list[SummaryItem] = []
        previous = None
        for i in sorted(positions, key=lambda p: (candidates[p].index, p)):
            c = candidates[i]
            continues = (out and previous is not None and leans_back(c)
                         and candidates[previous].index == c.index - 1)
            if continues:
                out[-1] = render(c, kind, follows=out[-1])
            else:
                out.append(render(c, kind))
            previous = i
        return out

    if kind in ("opinion", "analysis"):  # the thesis, then the strongest factual point
        opinions = {i for i, c in enumerate(candidates) if c.opinion} & allowed
        short = pick(order, scores, sim, 1, [], opinions, candidates)
        short = pick(order, scores, sim, 1, short, allowed - opinions, candidates)
        peg: list[int] = []
    else:  # the news peg (who did what, when) first: the earliest clean point of the lead
        peg = news_peg(candidates, allowed)
        short = pick(order, scores, sim, (2 if kind == "news" else 1) - len(peg), peg, allowed,
                    candidates)
    per_section: list[int] = list(peg)
    for section in sections:
        in_section = {i for i, c in enumerate(candidates) if c.section == section} & allowed
        if not any(candidates[i].section == section for i in per_section):
            per_section = pick(order, scores, sim, 1, per_section, in_section, candidates)
    bullets = pick(order, scores, sim, max(0, BULLETS - len(per_section)), per_section, allowed,
                  candidates)
    detailed = []
    with_points = {candidates[i].section for i in allowed}
    each = max(DETAILED_PER_SECTION, -(-DETAILED_POINTS // max(1, len(with_points))))
    for section in sections:
        in_section = {i for i, c in enumerate(candidates) if c.section == section} & allowed
        picked: list[int] = []
        for band in bands(sorted(in_section, key=lambda i: candidates[i].index), each):
            picked = pick(order, scores, sim, 1, picked, band, candidates)
        detailed.append(items(picked))
    return Summary(kind=kind, short=items(short), bullets=items(bullets), detailed=detailed)


PEG_PARAGRAPHS = 3


def news_peg(candidates: list[Candidate], allowed: set[int]) -> list[int]:
    """The first clean, whole sentence in the article's opening paragraphs, if there is one."""
    lead = [i for i in allowed if candidates[i].paragraph < PEG_PARAGRAPHS
            and not candidates[i].clause and not candidates[i].loaded
            and not leans_back(candidates[i])]
    return [min(lead, key=lambda i: candidates[i].index)] if lead else []


def bands(ordered: list[int], n: int) -> list[set[int]]:
    """``ordered`` cut into ``n`` consecutive runs of about equal length, so that a detailed
    summary reaches the end of a long section rather than stopping at its start."""
    if not ordered:
        return []
    n = max(1, min(n, len(ordered)))
    size = len(ordered) / n
    return [set(ordered[round(k * size):round((k + 1) * size)]) for k in range(n)]
