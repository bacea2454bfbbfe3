"""Who speaks each sentence of a transcript ("RADDATZ: …", "Q: …"), and who asks the questions."""

from __future__ import annotations

import re
from collections.abc import Sequence

from parley.core.analysis.tokens import is_question

# An all-capitals label opening a paragraph ("SANDERS:", "MR. TRUMP:", "THE FACTS:") or the
# interview shorthand "Q:" / "A:". Mixed-case labels are left alone: "Update:" and "Note:" open
# ordinary paragraphs far more often than they name a speaker.
# A broadcaster's transcript names a speaker's role the first time, the label sometimes on a line
# of its own ("AUDIE CORNISH, HOST:" then the paragraph she says).
_ROLE = r",\s+(?:HOST|CO-HOST|BYLINE|ANCHOR|CORRESPONDENT|REPORTER|GUEST|SAYING)"
_LABEL = re.compile(r"^(?P<label>[A-Z][A-Z.'’\-]*(?: [A-Z][A-Z.'’\-]*){0,3}|Q|A)"
                    rf"(?:{_ROLE}\s*:\s*$|(?:{_ROLE})?\s*:\s+(?=\S))")
_SHORTHAND = {"Q": "The interviewer", "A": "The interviewee"}
# Labels that give a fact check's own verdict on the claim before it ("TRUMP: … THE FACTS: …",
# AP's format): the article's voice, not a speaker's, and the mark of a fact check.
VERDICT_LABELS = frozenset({"THE FACTS", "FACTS", "THE FACT", "FACT CHECK", "THE FACT CHECK",
                            "FACT", "VERDICT", "THE VERDICT", "OUR RULING", "THE RULING",
                            "REALITY CHECK", "THE REALITY"})
# Fewer labelled voices than this make no transcript, and no interviewer.
TRANSCRIPT_SPEAKERS = 2


def split_label(text: str) -> tuple[str | None, str]:
    """The speaker label a sentence opens with, if any, and the sentence without it."""
    if m := _LABEL.match(text):
        return m["label"], text[m.end():]
    return None, text


def speaker_name(label: str) -> str:
    """A label as a reader names its speaker: ``MR. O'BRIEN`` → ``Mr. O'Brien``, ``Q`` → ``The
    interviewer``, a verdict (``THE FACTS``) → ``The fact check says``."""
    if is_verdict(label):
        return "The fact check says"
    return _SHORTHAND.get(label, label.title())


def is_verdict(label: str | None) -> bool:
    """Whether a speaker label gives the fact check's own verdict (``VERDICT_LABELS``)."""
    return label is not None and label.replace("’", "'") in VERDICT_LABELS


def speakers(paragraphs: Sequence[int], texts: Sequence[str]) -> list[str | None]:
    """Each sentence's speaker: the label opening its paragraph, or the last label before it.
    A document is a transcript only with two or more labels: one alone ("SEE ALSO: …",
    "UPDATE: …") is a line of the article, and every sentence's speaker is then ``None``."""
    out: list[str | None] = []
    current: str | None = None
    previous_paragraph: int | None = None
    full: dict[str, str] = {}  # "CORNISH" → "AUDIE CORNISH", named in full the first time
    for paragraph, text in zip(paragraphs, texts, strict=True):
        if paragraph != previous_paragraph:
            label, _ = split_label(text)
            if label and " " in label:
                full.setdefault(label.rsplit(" ", 1)[-1], label)
            current = full.get(label, label) if label else current
            previous_paragraph = paragraph
        out.append(current)
    return out if len(set(out) - {None}) >= TRANSCRIPT_SPEAKERS else [None] * len(out)


def interviewers(speaker_of: Sequence[str | None], texts: Sequence[str],
                 share: float) -> set[str]:
    """Speakers who ask rather than claim: more than ``share`` of their sentences are questions.
    Only a document with two or more speakers has any: a single label over an article
    ("EDITOR'S NOTE:") makes its author no interviewer."""
    asked: dict[str, list[int]] = {}
    for speaker, text in zip(speaker_of, texts, strict=True):
        if speaker is not None:
            counts = asked.setdefault(speaker, [0, 0])
            counts[0] += 1
            counts[1] += is_question(text)
    if len(asked) < TRANSCRIPT_SPEAKERS:
        return set()
    return {s for s, (total, questions) in asked.items()
            if questions > share * total}


# More "I", "me", "my" than this per 100 words of the answers makes a Q/A document an interview
# (someone answering for themselves); fewer, a written explainer answering in the article's voice
# (AP's "Q: WHY ARE OIL PRICES FALLING? A: First came …").
QA_FIRST_PERSON = 1.0
_FIRST_SINGULAR = re.compile(r"\b(?:I|I'm|I’m|I've|I’ve|I'd|I’d|I'll|I’ll|me|my|mine|myself)\b")


def written_qa(speaker_of: Sequence[str | None], texts: Sequence[str]) -> bool:
    """Whether a document labelled only ``Q:`` and ``A:`` is a written explainer rather than an
    interview: its answers hardly speak in the first person (``QA_FIRST_PERSON``)."""
    voices = {s for s in speaker_of if s}
    if voices != {"Q", "A"}:
        return False
    answers = [t for s, t in zip(speaker_of, texts, strict=True) if s == "A"]
    total = sum(len(t.split()) for t in answers)
    first = sum(len(_FIRST_SINGULAR.findall(t)) for t in answers)
    return 100.0 * first < QA_FIRST_PERSON * max(1, total)
