"""Summary points on 1,200 real articles (../shared/eval/corpus/): do they stand alone, are they
free of furniture, and is every loaded term attributed rather than said in Parley's voice?

    python -m bench.corpus_checks [--examples N]

The checks here are written apart from the summariser's own rules (so a figure of 0 is measured,
not assumed; nothing of ``parley.core.analysis.standalone`` is imported): a point fails the
stand-alone check if it opens on a pronoun (an acronym in capitals, "WHO", is not one), a
connective, "The last time" or a bare "he said", ends on a demonstrative that points back
("…understood that."), has unbalanced quotation marks, or is a clause without a finite verb. The
finite verb is a grammar question, answered by a part-of-speech tagger rather than a word list:
TextBlob's ``PatternTagger`` (the Pattern project's Brill-style lexicon and context rules,
shipped inside the ``textblob`` package, offline; MIT licence; in the ``dev`` and ``bench``
extras). A point has a finite verb if it holds an auxiliary, a modal, a common irregular past
or a contraction (the old word list, with "am", and without a possessive "'s"); or the tagger
reads a past, a present or a modal (VBD, VBZ, VBP, MD); or a word stands where a verb stands,
right after its subject (a noun or a subject pronoun, adverbs between, no comma) and is a base
form or a participle by the tagger (it reads "Bush understood", "police faced" as VBN) or ends
in -ed or -s ("Obama talks with …"; but not a plural after a common noun, "the ferry
subsidies", a compound); or the tagger's noun there follows a plural subject ("We
need …", "voters head to the polls") or an adverb ("Houser also fatally shot himself"), or is
"like" after an adverb ("John and I so clearly like each other"); or a past (by the tagger, an
-ed ending or an irregular past) takes an object ("Jo Bloggs, a member of …, accused the
ambassador": a participle rarely does), or a particle and then an object ("gunned down 20
children"). Since session 9: a word right after an insertion between commas, brackets or dashes
("Surveys, including a poll …, continue …") takes the word before the insertion as its subject,
but a past there needs its object ("Jo Bloggs, a pilot, angered by …" is no sentence); dashes are
spaced before tagging; a noun's plural after a noun is a verb when a determiner, a figure or "$"
follows ("The vote signals the …"); and a demonstrative ending a point of two sentences may
stand for the first ("… on board with that."). An -ed or -s word elsewhere no longer counts
("Barack Obama, sobered but resolute.", "Senator Jo Bloggs, one of the leading contenders."),
nor does a possessive ("Mr Trump's only action on guns."). A
point holds furniture if it matches a list of furniture phrases (a picture agency only as a
credit: "(Getty Images)", "Photo: … Getty Images", not "the news agency Getty Images said"); it
puts a loaded term in Parley's voice if a lexicon term appears outside quotation marks in a
point not attributed to anyone.
"""

from __future__ import annotations

import argparse
import json
import re
from dataclasses import dataclass, field
from functools import cache
from typing import Protocol

from bench.clef import EVAL
from parley.core.analysis.article import analyse
from parley.core.analysis.lexicon import load_lexicon
from parley.core.analysis.rhetoric import quoted
from parley.core.analysis.sentences import split_sentences
from parley.core.analysis.summarize import SummaryItem
from parley.core.ingest.errors import IngestError
from parley.core.ingest.plaintext import parse_plain_text

CORPUS = [EVAL / "corpus" / "kind.jsonl", EVAL / "corpus" / "topics.jsonl"]
_ATTRIBUTION = re.compile(r"^(?:The (?:author|article|fact check|analysis) (?:argues|writes|says|"
                          r"finds)|The fact check says|[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,3}: )")
_OPENING = re.compile(r"^(?:he|she|it|they|them|this|that|these|those|his|her|its|their|but|and|"
                      r"or|so(?! far)|yet|however|also|the last time|the next time|which|who)\b",
                      re.I)
# Ends on a demonstrative standing for something said before: "Bush understood that."
_POINTS_BACK = re.compile(r"\b(?:that|this|these|those)[.!]?[”\"’')]*$", re.I)
_BARE_SAID = re.compile(r"^[“\"]?[^“”\"]{0,200}[”\"],? (?:he|she|they) (?:said|says|added)\b", re.I)
# Finite whatever its place: an auxiliary or modal, a common irregular past, a contraction (not
# a possessive "'s" but for a pronoun's "it's").
_FINITE_WORD = re.compile(r"\b(?:am|is|are|was|were|has|have|had|do|does|did|will|would|can|"
                          r"could|should|may|might|must|shall|said|told|got|made|gave|took|went|"
                          r"came|saw|knew|thought|found|left|became|began|ran|won|lost|paid|put|"
                          r"set|held|kept|brought|wrote|spoke|met|sent|built|led|fell|rose|grew|"
                          r"cut|hit|let|meant|stood|heard|felt|chose)\b|['’](?:re|ve|ll|d|m)\b"
                          r"|\b(?:it|he|she|that|there|what|who|here|where)['’]s\b|n['’]t\b",
                          re.I)
# A regular past or a third-person present, read as a verb only where its subject stands.
_REGULAR_FINITE = re.compile(r"[a-z]{2,}(?:ed|es|s)(?<!ss)(?<!us)(?<!is)")
# Irregular pasts that are also nouns or participles, read as verbs only after their subject.
_IRREGULAR_PAST = frozenset("""shot cast spread struck sought fought taught bought caught drove
threw wore broke fled hid sold spent stole swore woke ate bit blew drew drank flew forgot froze
hung laid lent rang sang sank sat slept slid split quit shook shut stuck swept swam tore
understood withdrew bet bore dealt dug fed knelt leapt lit overcame overtook rode sped spun
undertook upheld wept wound""".split())
_PLURAL_PRONOUNS = frozenset("i we you they".split())
_FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP", "MD"})
_SUBJECT_TAGS = frozenset({"PRP", "NN", "NNS", "NNP", "NNPS"})
_OBJECT_TAGS = frozenset({"DT", "PRP", "PRP$", "CD", "NNP"})
_OBJECT_PRONOUNS = frozenset("me him her us them it".split())
# After a noun tagged plural, these make it a verb rather than a compound's second noun.
_DETERMINER_TAGS = frozenset({"DT", "CD", "$", "PRP$"})
_DASH = re.compile(r"\s*[—–]\s*|\s+--\s+")  # "tell them go" has no subject
_FURNITURE = re.compile(r"\b(?:(?-i:CLOSE|Advertisement|ADVERTISEMENT)\b|Read more|Read or Share|"
                        r"(?-i:^(?:The \w+ \w+: )?Sign up)|Subscribe\b|newsletter|"
                        r"Update(?:d)? at \d|"
                        r"promo code|Facebook Twitter|Pinterest|Photograph:|"
                        r"\(Photo|Image copyright|toggle caption|Media caption|Show Hide|"
                        r"Quick guide|Join us|Join our|Follow us|Click here|CLICK HERE|"
                        r"Story Continued|Continue reading|JUST WATCHED|MUST WATCH|"
                        r"(?:Photo|Photograph|Picture|Image|Credit)s?:[^.]{0,80}Getty Images|"
                        r"[(/|]\s*Getty Images|Getty Images\s*(?:[)|]|$)|"
                        r"All rights reserved|Copyright|Story highlights|Slideshow|"
                        r"contributed to this report)", re.I)


@dataclass
class Tally:
    points: int = 0
    not_alone: list[str] = field(default_factory=list)
    furniture: list[str] = field(default_factory=list)
    own_voice: list[str] = field(default_factory=list)


def body(text: str) -> str:
    m = _ATTRIBUTION.match(text)
    return text[m.end():].lstrip(": ") if m else text


class _Tagger(Protocol):
    def tag(self, text: str) -> list[tuple[str, str]]: ...


@cache
def _tagger() -> _Tagger:
    from textblob.en.taggers import PatternTagger  # the bench extra; read once, offline

    tagger: _Tagger = PatternTagger()
    return tagger


def _tags(text: str) -> list[tuple[str, str]]:
    # Dashes spaced, so that "Americans—especially Evangelicals—stand" is read as five words.
    spaced = _DASH.sub(" — ", text)
    return [(w, t) for w, t in _tagger().tag(spaced) if t not in ('"', "``", "''")]


def _before_insertion(tags: list[tuple[str, str]], j: int) -> int:
    """Where ``tags[j]`` closes an insertion ("X, a pilot from Eastport, …", "X (and Y) …",
    "X — especially Y — …"), the position of the word before it opens; otherwise -1."""
    word = tags[j][0]
    opener = {",": ",", ")": "(", "—": "—"}.get(word)
    if opener is None:
        return -1
    k = j - 1
    while k >= 0 and tags[k][0] != opener and j - k <= 25:
        k -= 1
    return k - 1 if k > 0 and tags[k][0] == opener else -1


def finite_verb(text: str) -> bool:
    """Whether the point has a finite verb (see the module's docstring for how it is read)."""
    if _FINITE_WORD.search(text):
        return True
    tags = _tags(text)
    for i, (word, tag) in enumerate(tags):
        if tag in _FINITE_TAGS:
            return True
        following = tags[i + 1][1] if i + 1 < len(tags) else ""
        then = tags[i + 2][1] if i + 2 < len(tags) else ""
        # What a verb takes: an object, or a particle and then one ("gunned down 20 children").
        takes = following in _OBJECT_TAGS or following == "$" or (
            following in ("RP", "RB") and then in _OBJECT_TAGS | {"$"})
        if (word.islower() and takes
                and (tag == "VBN" or word.endswith("ed") or word in _IRREGULAR_PAST)):
            return True  # a past with its object ("…, accused the ambassador"): no participle
        j = i - 1
        while j >= 0 and tags[j][1] == "RB":  # "still oppose", "also fatally shot"
            j -= 1
        inserted = j >= 0 and (k := _before_insertion(tags, j)) >= 0
        if inserted:
            j = k  # the subject is the word before the insertion
        if (j < 0 or tags[j][1] not in _SUBJECT_TAGS or tags[j][0].lower() in _OBJECT_PRONOUNS
                or not word.islower()):
            continue
        subject, after_adverb = tags[j], j < i - 1 and not inserted
        plural = subject[1] in ("NNS", "NNPS") or subject[0].lower() in _PLURAL_PRONOUNS
        compound = (subject[1] == "NN" and tag == "NNS" and not after_adverb  # "ferry subsidies"
                    and following not in _DETERMINER_TAGS)  # but "the statement marks a …"
        past = tag == "VBN" or word.endswith("ed") or word in _IRREGULAR_PAST
        if inserted and past and not (takes or following in ("JJ", "NN", "NNS")):
            continue  # "Jo Bloggs, a pilot, angered by …": a participle, not the verb
        if (tag in ("VB", "VBN") or word in _IRREGULAR_PAST
                or (_REGULAR_FINITE.fullmatch(word) and not compound)
                or (tag == "NN" and (after_adverb or plural))
                or (after_adverb and word == "like")):
            return True
    return False


def stands_alone(text: str) -> bool:
    said = body(text)
    opening = _OPENING.match(said)
    if opening and not (opening.group().isupper() and len(opening.group()) > 1):  # "WHO", "US"
        return False
    # A demonstrative at the end of a point of two sentences may stand for the first of them.
    if _BARE_SAID.match(said) or (_POINTS_BACK.search(said.rstrip())
                                  and len(split_sentences(said)) < 2):
        return False
    if said.count("“") != said.count("”") or said.count('"') % 2:
        return False
    return finite_verb(said)


def loaded_in_own_voice(item: SummaryItem) -> bool:
    if item.attributed:
        return False
    lexicon = load_lexicon()
    return any(not quoted(item.text, m.text) for m in lexicon.find(item.text))


def run(examples: int = 5) -> dict[str, object]:
    tally = Tally()
    articles = 0
    for path in CORPUS:
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            try:
                parsed = parse_plain_text(f"{row['title']}\n\n{row['text']}")
            except IngestError:
                continue
            parsed = parsed.model_copy(update={"url": row.get("url") or None})
            summary = analyse(parsed, load_lexicon()).summary
            articles += 1
            points = [*summary.short, *summary.bullets, *(i for s in summary.detailed for i in s)]
            for item in points:
                tally.points += 1
                if not stands_alone(item.text):
                    tally.not_alone.append(item.text)
                if _FURNITURE.search(item.text):
                    tally.furniture.append(item.text)
                if loaded_in_own_voice(item):
                    tally.own_voice.append(item.text)
    share = {name: round(len(getattr(tally, name)) / max(1, tally.points), 4)
             for name in ("not_alone", "furniture", "own_voice")}
    return {"articles": articles, "points": tally.points, "share": share,
            "examples": {name: getattr(tally, name)[:examples] for name in share}}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--examples", type=int, default=5)
    args = parser.parse_args()
    print(json.dumps(run(args.examples), indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
