"""Analysing a whole article once, at ingestion: claims, rhetoric, opposing views, summaries."""

from __future__ import annotations

import re
from collections.abc import Sequence

from pydantic import BaseModel

from parley.core.analysis.bias import sentence_scores, threshold
from parley.core.analysis.boilerplate import is_boilerplate
from parley.core.analysis.claims import Claim, find_claims
from parley.core.analysis.entities import proper_nouns
from parley.core.analysis.kind import (
    ArticleKind,
    SentenceScore,
    kind_from_address,
    kind_from_label,
    text_kind,
)
from parley.core.analysis.lexicon import Lexicon, Mark
from parley.core.analysis.opposing import OpposingView, find_opposing_views
from parley.core.analysis.quotations import in_long_quotations
from parley.core.analysis.rhetoric import (
    article_heat,
    quoted,
    sentence_heat,
)
from parley.core.analysis.speakers import (
    TRANSCRIPT_SPEAKERS,
    is_verdict,
    speakers,
    split_label,
    written_qa,
)
from parley.core.analysis.summarize import (
    Candidate,
    Summary,
    clauses,
    summarize,
    without_dateline,
)
from parley.core.analysis.tokens import joined_words
from parley.core.analysis.wordvectors import VectorMemo
from parley.core.models import ParsedArticle

# Bump when the analysis changes, so stored articles are re-analysed at start.
# 2: connective-led points, longer detailed summaries, ordinary phrases;
# 3: meaning features in check-worthiness, "would" in relative clauses not a prediction;
# 4: check-worthiness in context (position, a transcript's interviewer);
# 5: six article kinds, furniture, stand-alone points, charged words, learned sentence scores;
# 6: points need a finite verb, more furniture, the kind model reads the sentence scores;
# 7: no point ends on "that"/"this" or speaks of "the same" thing without its comparison, nor
#    gives an instruction, nor repeats a word by a slip; a possessive "'s" is not a verb.
# 8: the splitter keeps "v.", "Sens." and "Oct. 31-Nov. 2" and ends on "No." before a word; no
#    point is a list instruction, a heading without its full stop, a link, a chart, a noun
#    phrase ending on a plural, an -ing list, nor opens on "For that reason", "Like X, it …",
#    nor has "for that and …" in mid-sentence.
# 10: a parenthetical pointer with a space or a plural ("( PHOTOS: …)", "( Also on POLITICO: …)")
#    is furniture.
# 11: a verdict label ("THE FACTS: …") or an outlet before "Fact check:" makes a fact check, and
#    the verdict is the fact check's own voice; no dateline opens a point; quoted words with
#    their speaker are reported, not argued; no clause cut ends on "came"; a written Q&A is an
#    explainer; a correction notice or a guest's introduction is furniture.
# 12: a judgement quoted beside its speaker is theirs in news; more points that lean back ("those
#    people", "Among the five", "All of these", "Turns out"); "a million" is a figure; a bound
#    on a figure is no comparison; a claim leaves out the dateline.
# 13: "WASHINGTON/BEIJING (Reuters) -" is a dateline; a bio of trades alone is furniture;
#    "…, he knew." leans back; in opinion a quotation beside its speaker is reported.
# 14: "NAME, HOST:" labels (alone on a line too) and surnames after them; a transcript's note is
#    furniture.
# 15: "Vienna (CNN) " is a dateline; an -ing phrase with verbs only in relative clauses is a
#    fragment.
# 16: a question title makes an explainer only of what the text model reads as news.
# 17: a unit joined by a hyphen ("40-month") is the figure's unit; "found" stems as "find".
# 18: an opposing view is restated only whole and held by somebody; "cannot" is finite.
# 19: no clause cut ends on a preposition or a measure of time; "| AP Photos" is a credit.
# 20: a derived list's charged word marks its inflections and adverb only.
# 21: "vowed", "promised", "claimed" name a quotation's speaker.
# 22: "Let's …" is a call, not a point.
# 23: a recommendation in opinion is argued.
# 24: a speaker's tag alone ("X wrote on Twitter.") leans back.
# 25: an editor's note is furniture; a point cut at a dash is a fragment.
# 26: a bare pronoun's tag leans back for every tag a named speaker's quote may carry.
# 27: in news, a continuation quoted beside its speaker leaves the joined point unprefixed.
# 28: a loaded sentence's clean clause is cut only at a real clause boundary (not inside a dashed
#     or comma aside, not before an "as" complement or a restrictive "who"), and more verbs tag
#     a quotation as its speaker's.
# 29: a sentence inside a quotation running over several sentences, or split inside a
#     parenthesis, is never a summary point; a syndicated bio with age and schooling is furniture.
# 30: a quotation over paragraphs is one, to the sentence that closes it in a paragraph of its
#     own; "noting", "telling", "tweeting" and other participles introduce a quotation.
ANALYSIS_VERSION = 30


class SentenceAnalysis(BaseModel):
    """What the analysis knows about one sentence (by its position in the article)."""

    index: int
    section: int
    heat: float
    opinion: float
    marks: list[Mark]


class LocatedView(BaseModel):
    sentence: int
    view: OpposingView


class ArticleAnalysis(BaseModel):
    """Everything stored for an article besides its text."""

    version: int = ANALYSIS_VERSION
    kind: ArticleKind
    heat: float
    sentences: list[SentenceAnalysis]
    claims: list[Claim]
    views: list[LocatedView]
    summary: Summary


ARGUING = ("opinion", "analysis", "factcheck")  # kinds with a thesis of their own
OPPOSED_HOLDERS = frozenset("critics opponents skeptics sceptics naysayers detractors deniers "
                            "alarmists".split())
_REBUTTAL = re.compile(r"\b(?:but|however|yet|wrong|mistaken|myths?|false|falsely|nonsense|"
                       r"ignores?|ignored|miss(?:es)?|fails?|failed|in fact|actually|the truth is|"
                       r"not so|untrue|misguided|overlook|forget|simply not|isn't true|"
                       r"aren't true|is not true|are not true)\b", re.I)


def argued_against(located: LocatedView, texts: list[str]) -> bool:
    """Whether a view is one the article argues against (its critics, a position it rebuts) rather
    than its own thesis: framed dismissively, held by its opponents, or answered in the same or
    the next sentence."""
    view = located.view
    if view.framed or view.holder.split()[-1] in OPPOSED_HOLDERS:
        return True
    here = texts[located.sentence]
    after = here.split(view.view, 1)[-1] if view.view in here else ""
    following = texts[located.sentence + 1] if located.sentence + 1 < len(texts) else ""
    return bool(_REBUTTAL.search(after) or _REBUTTAL.match(following)
                or _REBUTTAL.search(following[:80]))


def classify(parsed: ParsedArticle, voices: set[str],
             sentences: Sequence[SentenceScore] | None = None,
             explains: bool = False) -> ArticleKind:
    """What the address or a label names; a fact check if a label gives its verdict (``THE
    FACTS:``, among the ``voices``); an explainer for a written Q&A (``explains``); an interview
    for a transcript (two or more labelled speakers, no verdict among them); otherwise opinion or
    news as the learned text model has it (``kind.py``), news that asks in its title and answers
    being an explainer."""
    body = " ".join(s.text for sec in parsed.sections for s in sec.sentences)
    first = [parsed.standfirst, *(s.text for sec in parsed.sections[:1]
                                  for s in sec.sentences[:2])]
    named = kind_from_address(parsed.url) or kind_from_label(parsed.title, first)
    if named:
        return named
    if any(is_verdict(v) for v in voices):
        return "factcheck"
    if explains:
        return "explainer"
    if len(voices) >= TRANSCRIPT_SPEAKERS:
        return "interview"
    pieces = [parsed.standfirst, *(s.text for sec in parsed.sections for s in sec.sentences)]
    # The body's words from its sentences' cached words: the article is not tokenised twice.
    by_text = text_kind(parsed.title, f"{parsed.standfirst} {body}", sentences,
                        joined_words(pieces))
    headings = [s.heading for s in parsed.sections if s.heading]
    questions = sum(h.rstrip().endswith("?") for h in headings)
    # A question for a title asks and answers, unless the text argues: a columnist's question
    # ("Has the Government Lost Sight of Our Birthright?") is the thesis, not a topic explained.
    if by_text == "news" and parsed.title.rstrip().endswith("?") and (
            questions * 2 >= len(headings)
            or parsed.title.lower().startswith(("how", "what", "why"))):
        return "explainer"
    return by_text


def analyse(parsed: ParsedArticle, lexicon: Lexicon) -> ArticleAnalysis:
    """The complete, deterministic analysis of one parsed article."""
    located = [(si, sentence) for si, section in enumerate(parsed.sections)
               for sentence in section.sentences]
    texts = [s.text for _, s in located]
    known = proper_nouns(texts)
    per_sentence = []
    vectors: VectorMemo = {}  # one GloVe vector a sentence, for both models
    biased: list[bool] = []
    scored: list[SentenceScore] = []
    views = []
    for i, (section, sentence) in enumerate(located):
        marks = lexicon.find(sentence.text)
        p_bias, p_opinion = sentence_scores(sentence.text, marks, vectors)
        per_sentence.append(SentenceAnalysis(
            index=i, section=section, heat=sentence_heat(sentence.text, marks, lexicon),
            opinion=round(p_opinion, 4), marks=marks))
        biased.append(p_bias >= threshold("bias"))
        scored.append((sentence.text, p_bias, p_opinion))
        views += [LocatedView(sentence=i, view=v)
                  for v in find_opposing_views(sentence.text, lexicon)]
    speaker_of = speakers([s.paragraph for _, s in located], texts)
    labelled = [split_label(text) for text in texts]
    unlabelled = [rest for _, rest in labelled]
    explains = written_qa(speaker_of, unlabelled)
    if explains:  # a written Q&A: the answers are the article's own voice, nobody's interview
        speaker_of = [None] * len(speaker_of)
    # In a transcript the summary names the speaker itself; elsewhere a label stays as written,
    # but for a fact check's verdict ("THE FACTS: …"), the article's own voice. A summary point
    # never opens on the wire's dateline: the rules that follow read it without one.
    spoken = [without_dateline(u if who or is_verdict(label) or explains else t)
              for t, (label, u), who in zip(texts, labelled, speaker_of, strict=True)]
    furniture = {i for i, (t, u) in enumerate(zip(texts, unlabelled, strict=True))
                 if is_boilerplate(t) or (u != t and is_boilerplate(u))}
    # A claim keeps its speaker's label, but not the wire's dateline: "WASHINGTON (Reuters) -
    # China threatened …" is China's threat.
    claims = [c for c in find_claims([without_dateline(t) for t in texts], parsed.published,
                                     known, speaker_of, vectors)
              if c.sentence not in furniture]
    heat = article_heat([s.heat for s in per_sentence])
    voices = {w for w in speaker_of if w} | {label for label, _ in labelled
                                              if label is not None and is_verdict(label)}
    kind = classify(parsed, voices, scored, explains)
    if kind in ARGUING:
        views = [v for v in views if argued_against(v, texts)]
    claim_scores = {c.sentence: c.score for c in claims}
    quoted_run = in_long_quotations(texts, [(section, s.paragraph) for section, s in located])
    candidates = [Candidate(index=i, section=section, paragraph=sentence.paragraph,
                            text=spoken[i], heat=per_sentence[i].heat,
                            opinion=(per_sentence[i].opinion >= threshold("opinion")
                                     or biased[i]),
                            claim_score=claim_scores.get(i, 0.0), boilerplate=i in furniture,
                            speaker=speaker_of[i], quoted=quoted_run[i],
                            loaded=any(not quoted(spoken[i], m.text)
                                       for m in per_sentence[i].marks))
                  for i, (section, sentence) in enumerate(located)]
    # A loaded sentence may still hold a clean clause worth summarising, attributed.
    candidates += [Candidate(index=c.index, section=c.section, paragraph=c.paragraph, text=part,
                             heat=0.0, opinion=True, claim_score=c.claim_score, clause=True,
                             speaker=c.speaker, quoted=c.quoted)
                   for c in list(candidates) if c.heat > 0 and not c.boilerplate
                   and not c.text.rstrip().endswith("?")
                   for part in clauses(c.text) if not lexicon.find(part)]
    return ArticleAnalysis(kind=kind, heat=heat, sentences=per_sentence, claims=claims,
                           views=views, summary=summarize(candidates, kind))
