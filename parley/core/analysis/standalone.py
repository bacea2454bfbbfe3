"""Whether a sentence stands alone as a summary point: it does not lean on the sentence before (a
pronoun, a connective, "The last time", a bare "he said"), its quotation marks are balanced, and it
is a whole sentence rather than a clause cut from its main verb."""

from __future__ import annotations

import re

# A sentence that leans on the one before: a pronoun, or a connective (But…, And…, However, …).
DANGLING = re.compile(r"^(?:it|its|this|that|these|those|they|their|them|he|his|him|she|her|such|"
                      r"there|both|the latter|the former|but|and|yet|nor|or|however|instead|"
                      r"nevertheless|nonetheless|moreover|furthermore|therefore|thus|hence|also|"
                      r"so(?! far\b)|which|whose|who|on top of that|what's more|the last time|"
                      r"the next time|the first time|the same|the other|the move|the decision|"
                      r"the remarks?|the comments?|the statement|the announcement|the two|"
                      r"then|still|meanwhile|otherwise|likewise|similarly|in addition|besides|"
                      r"after all|in fact|indeed|even so|at the same time|by contrast|"
                      r"for example|for instance|in other words|as a result|hardly surprising|"
                      r"not surprisingly|unsurprisingly|no wonder)\b", re.I)
# A quotation closed by a pronoun's verb ("…," he said): who said it is in an earlier sentence.
BARE_SPEAKER = re.compile(r"[”\"’'],?\s+(?:he|she|they|it|we|i)\s+(?:said|says|added|told|"
                          r"explained|wrote|noted|argued|continued|asked|replied|insisted)\b"
                          r"|^(?:he|she|they) (?:said|says|added)\b", re.I)
# A clause that cannot stand as a sentence: it opens on a participle, an infinitive or a
# subordinating word and has no main clause after a comma.
_SUBORDINATE = re.compile(r"^(?:(?!(?:no|some|any|every)thing)[a-z]{3,}ing (?:that|to|on|about|"
                          r"for|with|it|its|his|her|their)|to|rather than|whereas|while|because|"
                          r"although|though|when|where|once|until|given|"
                          r"if|unless|whether|as if|so that|in order to|despite|according to|"
                          r"on (?:why|how|what|whether|not|being))\b",
                          re.I)
# A sentence the splitter ended too early ("Town of Greece v.") or that introduces what follows.
_CUT_END = re.compile(r"(?:[:…,;]|\.\.\.|\b(?:v|vs|Mr|Mrs|Ms|Dr|St|No|Gov|Sen|Rep|Ste)\.)$")
# A sentence that ends on one of these was cut before what it introduces ("…send a message to
# those.", "…the strike on the airfield, from.").
# (Not "in", "on", "by", "that", …: a sentence may end on them, "they stood by", "he knew that".)
_OPEN_ENDS = frozenset("""a an the and or but nor of to from with into than those whose even as
if because while its their his her our my your such""".split())
# What opens a verb's object or follows a verb ("faced the court", "accused him", "called for
# …"); not "by", "in", "from" or "as", which follow a participle ("angered by", "based in").
_OBJECT_STARTS = frozenset("""a an the his her their its our my your this that these those him
them us me it for to with on at up out off down back into against over""".split())
# Words that make a clause finite: auxiliaries and modals, and common irregular past tenses.
_FINITE_WORDS = frozenset("""am is are was were has have had do does did will would can could
shall should may might must isn't aren't wasn't weren't hasn't haven't hadn't don't doesn't didn't
won't wouldn't can't couldn't shouldn't ate became began bit blew broke brought built bought
caught chose came cost cut dealt did drew drank drove fell fed felt fought found fled flew forgot
forgave froze got gave went grew hung heard hid hit held hurt kept knew laid led left lent let lay
lost made meant met paid put quit rang rose ran said saw sought sold sent set shook shot shut sang
sank sat slept slid spoke spent split spread stood stole stuck struck swore swept swam took taught
tore told thought threw understood woke wore won wrote""".split())
# Whose "'s" is "is" or "has" rather than a possessive.
_IS_PRONOUNS = frozenset("it he she that there what who here where how let".split())
# A subject that takes a verb's bare form (we lose, they intend, people call).
_PLAIN_SUBJECTS = frozenset("i we you they people others".split())
_FUNCTION_WORDS = _OPEN_ENDS | frozenset("""not no also just still never only so very too then
all each every some any such more most less in on at by for that these this which who whom about
over under after before""".split())
_WORD = re.compile(r"[A-Za-z]+(?:['’][a-z]+)?")
# A demonstrative closing the sentence stands for what was said before ("Bush understood that.").
_ENDS_POINTING_BACK = re.compile(r"\b(?:that|this|these|those)[.!]?[”\"’')]*$", re.I)
# "the same feeling": the same as something said before, unless a comparison follows ("the same
# rights as citizens", "the same day that …"); "as you watch" is a time, not a comparison.
_THE_SAME = re.compile(r"\bthe same((?:\s+[\w'’-]+){0,4})", re.I)
_COMPARISON = re.compile(r"^(?:\s+[\w'’-]+){0,2}?\s+(?:as|that|who|which|when|where)\b"
                         r"(?!\s+(?:i|you|we|they|he|she)\b)", re.I)
# Bare verbs that open an instruction to the reader ("Get a lawyer.", "If you stop, call us."),
# and what follows such a verb and not the noun of the same spelling ("Call centres closed").
_COMMANDS = frozenset("""get go put take make give keep let call ask tell stop start try come
bring send pay buy use leave turn look see think remember imagine consider vote join read watch
write check help hold find show be do don't issue publish provide meet forget focus pick share
enjoy stay learn listen visit avoid grab""".split())
_AFTER_COMMAND = frozenset("""a an the your yours yourself yourselves this that these those no
it them him her us me our my their his some any every all what how why at up out on in to for
back away down off about""".split())
_SOFTENER = re.compile(r"^(?:just|simply|please|now|so)\s+", re.I)
# An opening clause of condition or time, up to its comma: "If you stop somebody, …".
_OPENING_CLAUSE = re.compile(r"^(?:if|when|whenever|once|unless|before|after|until|as soon as)\b"
                             r"[^,]{1,80},\s*", re.I)
# A little word twice running ("to the the budget"): a slip in the source, not a point to show.
_DOUBLED = re.compile(r"\b(the|a|an|to|of|in|on|for|and|or|is|was|with|by|at|from)\s+\1\b",
                      re.I)


def balanced_quotes(text: str) -> bool:
    """Every quotation opened is closed, and none is closed that was not opened."""
    if text.count("“") != text.count("”") or text.count('"') % 2:
        return False
    opened = text.count("‘")
    closing = len(re.findall(r"’(?![a-z])", text, re.I))
    return opened == 0 or opened <= closing


def has_main_verb(text: str) -> bool:
    """Whether the sentence has a finite verb: an auxiliary or modal, an irregular past tense, a
    regular past (-ed) or third-person (-s) form after a word that can be its subject, or a bare
    verb after a plain subject ("we lose", "people call")."""
    spans = [m.span() for m in _WORD.finditer(text)]
    tokens = [text[a:b].replace("’", "'") for a, b in spans]
    lowered = [t.lower() for t in tokens]
    for i, word in enumerate(lowered):
        if word in _FINITE_WORDS or word.endswith(("'re", "'ve", "'ll", "'d", "'m")):
            return True
        if word.endswith("'s") and word[:-2] in _IS_PRONOUNS:  # "it's", not "Trump's"
            return True
        if i == 0 or not tokens[i].islower():
            continue
        previous = lowered[i - 1]
        if previous in _FUNCTION_WORDS and not tokens[i - 1].isupper():  # WHO reported
            continue
        regular = len(word) > 3 and (word.endswith("ed") or (
            word.endswith("s") and not word.endswith(("ss", "us", "is", "'s"))))
        # A verb follows its subject without a comma, unless it takes an object ("Jo Bloggs,
        # 51, faced the court"): "Jo Bloggs, sobered but resolute." has none.
        if regular and ("," not in text[spans[i - 1][1]:spans[i][0]] or (
                i + 1 < len(tokens) and (lowered[i + 1] in _OBJECT_STARTS
                                         or tokens[i + 1][:1].isupper()))):
            return True
    for i, word in enumerate(lowered):
        plural = len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "'s"))
        if word in _PLAIN_SUBJECTS or plural:  # "we lose", "schools reopen"
            rest = [w for w in lowered[i + 1:i + 5] if not w.endswith("ly") and w != "and"
                    and w not in ("also", "still", "never", "just", "even", "so", "all")]
            if (rest and rest[0] not in _FUNCTION_WORDS and rest[0] not in _PLAIN_SUBJECTS
                    and not rest[0].endswith(("s", "ing")) and rest[0] in lowered[i + 1:i + 5]
                    and tokens[(j := lowered.index(rest[0], i + 1))].islower()
                    and "," not in text[spans[i][1]:spans[j][0]]):  # no comma between
                return True
    return False


def open_ended(text: str) -> bool:
    """Whether the sentence ends on a word that introduces something that is not there."""
    last = text.rstrip(" .!?\"”’)").rsplit(None, 1)[-1:]  # "head-on" is one word
    return bool(last) and last[0].lower() in _OPEN_ENDS


def fragment(text: str) -> bool:
    """A clause without its main verb: lower-case at its start, no finite verb, cut before what it
    introduces, or a participle, infinitive or subordinate clause with no main clause after it."""
    body = text.lstrip("“\"‘'(")
    if not body or (not body[0].isupper() and not body[0].isdigit()):
        return True
    if _CUT_END.search(text.rstrip()) or open_ended(text) or not has_main_verb(text):
        return True
    return bool(_SUBORDINATE.match(body)) and "," not in body


def leans_back(text: str) -> bool:
    """Whether the sentence needs the one before it to make sense: it opens on a pronoun or a
    connective, closes a quote on a bare "he said", ends on a demonstrative ("…understood
    that.") or speaks of "the same" thing with nothing to compare it with."""
    body = text.lstrip("“\"‘'(")
    dangling = DANGLING.match(body)
    if dangling and dangling.group().isupper() and len(dangling.group()) > 1:
        dangling = None  # an acronym ("WHO reported…"), not a pronoun
    return bool(dangling or BARE_SPEAKER.search(text)
                or _ENDS_POINTING_BACK.search(text.rstrip()) or _same_without_comparison(body))


def _same_without_comparison(text: str) -> bool:
    for m in _THE_SAME.finditer(text):
        before = text[:m.start()].rstrip().lower()
        if not (before.endswith("at") and m.group(1).lower().startswith(" time")) \
                and not _COMPARISON.match(m.group(1)):
            return True  # "at the same time" in mid-sentence means "together": it stays
    return False


def instruction(text: str) -> bool:
    """Whether the sentence's main clause tells the reader what to do ("Get a lawyer.", "If you
    are stopped, call us."): someone's words set out without their speaker, not a point."""
    body = _OPENING_CLAUSE.sub("", text.lstrip("“\"‘'("), count=1)
    body = _SOFTENER.sub("", body, count=1)  # "Just focus on …", "Please read …"
    first = [w.strip(",;:").replace("’", "'") for w in body.split(None, 2)[:2]]
    if len(first) < 2 or first[0].lower() not in _COMMANDS:
        return False
    # Then what a verb takes: "Get a lawyer", "Meet Jo Bloggs", "Consider, for example, …".
    return (first[1].lower() in _AFTER_COMMAND or first[1][:1].isupper()
            or body.split(None, 1)[0].endswith(","))


def title_case(text: str) -> bool:
    """A headline set as a sentence: every word of four or more capitalised, little words too
    ("The Fed Just Raised Its Rate Again.")."""
    found = [w for w in _WORD.findall(text) if w[0].isalpha()]
    return len(found) >= 4 and all(w[0].isupper() for w in found) and any(
        w.lower() in _FUNCTION_WORDS for w in found[1:])


def doubled_word(text: str) -> bool:
    """Whether a little word repeats at once ("the The Donald"): a slip in the source."""
    return bool(_DOUBLED.search(text))


def stands_alone(text: str) -> bool:
    """Whole, balanced and free of references back."""
    return balanced_quotes(text) and not fragment(text) and not leans_back(text)
