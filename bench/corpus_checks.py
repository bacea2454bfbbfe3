"""Summary points on 1,200 real articles (../shared/eval/corpus/): do they stand alone, are they
free of furniture, and is every loaded term attributed rather than said in Parley's voice?

    python -m bench.corpus_checks [--examples N]

The checks here are written apart from the summariser's own rules (so a figure of 0 is measured,
not assumed; nothing of ``parley.core.analysis.standalone`` is imported): a point fails the
stand-alone check if it opens on a pronoun (an acronym in capitals, "WHO", is not one), a
connective, "The last time" or a bare "he said", ends on a demonstrative that points back
("…understood that."), has unbalanced quotation marks, or is a clause without a finite verb, a
grammar question answered by two readings, a dependency parse of the whole sentence and a
part-of-speech tagger's, a point being verbless only where neither finds a finite verb
(``bench/finite_verb.py`` says how each reads it). A
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

from bench.clef import EVAL
from bench.finite_verb import finite_verb
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
