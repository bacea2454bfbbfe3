"""The verbs by which an article reports speech, named by the rule using them."""

from __future__ import annotations

import re
from collections.abc import Iterable

# A speaker's tag beside a quotation: "“…,” said Mike Louis", "“…,” he warned".
TAGS = frozenset("""said says added adds wrote writes told asked noted declared insisted explained
argued tweeted recalled warned claimed vowed promised replied responded continued announced stated
admitted acknowledged conceded observed remarked quipped joked retorted answered countered
maintained asserted testified concluded proclaimed stressed emphasized emphasised cautioned
complained lamented boasted pleaded implored shouted exclaimed texted reiterated""".split())
# Before a quotation a participle or a naming verb introduces it too: saying “…”, called it “…”.
INTRODUCING_ONLY = frozenset("""adding saying warning calling called described pledged writing
telling noting arguing insisting explaining tweeting""".split())
INTRODUCING = TAGS | INTRODUCING_ONLY
# Reported speech in any tense, for a sentence that is mostly someone's quoted words.
SAYING = TAGS | frozenset("say tells asks notes concluded concludes argues".split()) | {
    "according to"}
# What a pronoun's owner held, with nobody named: "…, he knew."
HOLDING = TAGS | frozenset("knew knows thought thinks believed believes".split())
# A speaker's tag standing alone, its words in the sentence before: "The ministry said in a
# statement." (a narrow set: "… what the president promised." is a sentence of its own).
TAG_ALONE = frozenset("said says wrote writes added adds tweeted".split()) | {"told reporters"}
# Acts of speech that make a named actor's sentence checkable: did they say it?
SPEECH_ACTS = frozenset("""said says told praised praising criticized criticised condemned
urged urging warned warning announced pledged promised vowed thanked welcomed accused
called claimed alleged argued insisted tweeted wrote testified acknowledged admitted denied
asserted""".split())
# Who a quotation is put down to, beside it: every tag, and how a quotation is introduced.
NAMING_SPEAKER = INTRODUCING | SAYING | frozenset(
    "reports reported advised whispered screamed".split()) | {"put it", "pointed out", "went on"}
# Features of fitted models keep the sets they were fitted with: changing one means refitting
# (kind.json; the heat's discount for reporting; sentence_bias.json).
REPORTED = frozenset({"said", "says", "told", "according to"})
REPORTING = REPORTED | {"reported", "announced", "estimated"}
REPORTING_OR_STATED = REPORTING | {"stated", "added"}


def alternation(verbs: Iterable[str]) -> str:
    """A regular-expression group matching any one of ``verbs``, longest first."""
    return "(?:" + "|".join(re.escape(v) for v in sorted(verbs, key=lambda v: (-len(v), v))) + ")"
