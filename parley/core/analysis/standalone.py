"""Whether a sentence stands alone as a summary point: it does not lean on the sentence before (a
pronoun, a connective, "The last time", a bare "he said"), its quotation marks are balanced, and it
is a whole sentence rather than a clause cut from its main verb."""

from __future__ import annotations

import re

from parley.core.analysis.saying import HOLDING, TAG_ALONE, TAGS, alternation
from parley.core.analysis.tokens import words

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
                      r"not surprisingly|unsurprisingly|no wonder|further(?=,)|in the meantime|"
                      # An opening phrase on a word standing for what came before: "For that
                      # reason, …", "Without that, …", "Among them: …".
                      r"(?:for|in|at|by|after|despite|without|with|because of|among|of|like|"
                      r"unlike|beyond|besides|apart from|given|on|under|from) (?:that|those|"
                      r"such|them|it|him|her)(?! (?:is|was|are|were)\b)|"
                      # A part of what came before: "All of these things …", "One of them …".
                      r"(?:all|each|some|many|most|none|one|both|any|several|few|half|two|three)"
                      r" of (?:these|those|them|this|his|their|its)|"
                      # Speech with its subject left out: "Shows how long ago it was.", "Turns
                      # out scientists …".
                      r"(?-i:(?:Turns out|Goes to show|Shows (?:how|that|why|what)|Seems|"
                      r"Looks like|Sounds like|Makes (?:sense|you)|Explains (?:why|how)|"
                      r"Says (?:a lot|something))))\b", re.I)
# The subject of the main clause, after an opening phrase, is a pronoun: "Like the old law, it
# also blocks …" (which law?).
_PRONOUN_SUBJECT = re.compile(r"^[^,;:“”\"]{2,60},\s+(?:it|they|he|she|this|these|those)\s+"
                              r"(?!(?:is|was) (?:time|true|clear|likely|possible)\b)[a-z]", re.I)
# A quotation closed by a pronoun's verb ("…," he said): who said it is in an earlier sentence.
BARE_SPEAKER = re.compile(rf"[”\"’'],?\s+(?:he|she|they|it|we|i)\s+{alternation(TAGS)}\b"
                          r"|^(?:he|she|they) (?:said|says|added)\b", re.I)
# A clause that cannot stand as a sentence: it opens on a participle, an infinitive or a
# subordinating word and has no main clause after a comma.
_SUBORDINATE = re.compile(r"^(?:(?!(?:no|some|any|every)thing)[a-z]{3,}ing (?:that|to|on|about|"
                          r"for|with|it|its|his|her|their)|to|rather than|whereas|while|because|"
                          r"although|though|when|where|once|until|given|"
                          r"if|unless|whether|as if|so that|in order to|despite|according to|"
                          r"on (?:why|how|what|whether|not|being))\b",
                          re.I)
# What is left of a date the splitter cut ("2, 2012, among a sample of voters").
_DATE_CUT = re.compile(r"\d{1,2},\s+\d{4}\b")
# A sentence the splitter ended too early ("Town of Greece v.") or that introduces what follows.
_CUT_END = re.compile(r"(?:[:…,;]|\.\.\.|\b(?:v|vs|Mr|Mrs|Ms|Dr|St|No|Gov|Sen|Rep|Ste)\.|"
                      r"(?:--|[—–])\s*\.?)$")  # "… labeled Trotsky --." was cut at its dash
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
_FINITE_WORDS = frozenset("""am is are was were has have had do does did will would can could cannot
shall should may might must isn't aren't wasn't weren't hasn't haven't hadn't don't doesn't didn't
won't wouldn't can't couldn't shouldn't ate became began bit blew broke brought built bought
caught chose came cost cut dealt did drew drank drove fell fed felt fought found fled flew forgot
forgave froze got gave went grew hung heard hid hit held hurt kept knew laid led left lent let lay
lost made meant met paid put quit rang rose ran said saw sought sold sent set shook shot shut sang
sank sat slept slid spoke spent split spread stood stole stuck struck swore swept swam took taught
tore told thought threw understood woke wore won wrote""".split())
# The same without contractions, which the article's cached words spell alike ("DON'T" is not
# read as a contraction by ``has_main_verb``'s own tokens).
_PLAIN_FINITE = frozenset(w for w in _FINITE_WORDS if "'" not in w)
# Whose "'s" is "is" or "has" rather than a possessive.
_IS_PRONOUNS = frozenset("it he she that there what who here where how let".split())
# A subject that takes a verb's bare form (we lose, they intend, people call).
_PLAIN_SUBJECTS = frozenset("i we you they people others".split())
_FUNCTION_WORDS = _OPEN_ENDS | frozenset("""not no also just still never only so very too then
all each every some any such more most less in on at by for that these this which who whom about
over under after before""".split())
# Verbs that take "of" at once ("consists of"): before "of" any other -s or -ed word is a noun.
_OF_VERBS = frozenset("""consists consisted approves approved speaks spoke smacks reeks dies died
thinks dreams accuses accused informs informed reminds reminded robs robbed warns warned
convinces convinced assures assured deprives deprived""".split())
PREPOSITIONS = frozenset("""of to in for with from on at by about into against among between
over under through without within""".split())
_DETERMINERS = frozenset("the a an these those this that his her their its our my".split())
# Irregular pasts that are also nouns: after a determiner they are the noun ("a bit of leaf",
# "the cost of", "a set of rules"), not the verb. ("that" is left out: "said that cut …".)
_NOUN_PASTS = frozenset("bit cost cut hit hurt set spread split left put shot lost won fell"
                        .split())
_NOUN_DETERMINERS = frozenset("the a an these those this his her their its our my your every each "
                              "no".split())
# Relative pronouns: after a plural noun they open a clause about it ("companies that now
# control …", "voters who …"), so the noun is not a verb taking an object.
_RELATIVES = frozenset("that who which".split())
# What opens a bare verb's object (not a preposition: "increases that number to …").
_OBJECTS = frozenset("a an the his her their its our my your this these those him them us me it"
                     .split())
_ADVERBS = frozenset("now also still just often already even never always".split())
_ARTICLES = frozenset("the a an".split())  # a subject after "From X to Y" opens on one
# Verbs of policy that are also nouns ("Review safety standards …", "Fund school meals."): in
# first place, before a bare noun or an article, in a sentence with no finite word, they are a
# demand; so is a verb in -ize ("Maximize …"), a verb whatever follows.
_DEMANDS = frozenset("""review fund ban cap limit increase raise cut end repeal reform support
update study test track monitor require expand extend lower boost launch""".split())
# Nouns that stand for something said before when a demonstrative points at them in mid-sentence
# ("… increases that number to …", "… on this issue"): linguists' "shell nouns".
_SHELL = re.compile(r"\b(?:this|that|these|those)\s+(?:number|figures?|total|amount|estimate|"
                    r"rate|plans?|proposals?|idea|move|decision|approach|polic(?:y|ies)|efforts?|"
                    r"problems?|issues?|claims?|argument|view|case|trend|practice|question|"
                    r"changes?|process|situation|steps?|measures?|bills?|programs?|programme|"
                    r"strategy|ones?|kind|sort|reason|belief|notion|concerns?|findings?)"
                    r"\b", re.I)
_COUNTED_BACK = re.compile(r"\b(?:these|those) (?:two|three|four|five|six|seven|eight|nine|ten|"
                           r"\d{1,3}) [a-z]", re.I)
# After these "that" opens a clause ("said that policy …"): not a demonstrative.
_THAT_CLAUSE = frozenset("""said says say argued argues argue believe believes believed think
thinks thought claim claims claimed warn warns warned note noted notes add added adds insist
insisted insists show showed shows found finds find suggest suggests suggested means meant know
knows knew hope hopes hoped fear fears feared agree agrees agreed announced reported ensure
ensures so such now given except is was are were""".split())
# Plurals without an -s, that may stand before "them" as what it stands for.
_PLURAL_NOUNS = frozenset("people children men women police staff public".split())
# A list of actions: "Simplifying the code, reducing rates and eliminating the tax."
_ACTION_LIST = re.compile(r",\s+(?:and\s+)?[a-z]{3,}ing\b")
_NOT_GERUNDS = frozenset("""during according including regarding concerning nothing something
anything everything morning evening following notwithstanding""".split())
_SPACE_SMALL = re.compile(r"\s[a-z]")
_WORD = re.compile(r"[A-Za-z]+(?:['’][a-z]+)?")
# An opening participle and then only a quotation, nobody saying it: "Before adding, “and the
# right word is menorah.”"
_GERUND_THEN_QUOTE = re.compile(r"^(?:before|after|while|when|without|besides)\s+[a-z]{3,}ing\b"
                                r"[^“”\"]{0,40}?,?\s*[“\"][^“”\"]+[”\"][.!?]?$", re.I)
# A demonstrative closing the sentence stands for what was said before ("Bush understood that.").
_ENDS_POINTING_BACK = re.compile(r"\b(?:that|this|these|those)[.!]?[”\"’')]*$", re.I)
# A demonstrative and its noun closing the sentence, nothing after to say which: "Obama is one
# of those people." ("these days" is a time).
_NOUN_POINTING_BACK = re.compile(r"\b(?:these|those) (?!days\b|times\b)[a-z]{2,14}[.!]?[”\"’')]*$",
                                 re.I)
# A count standing for people named before: "Among the five were …", "one of the two.", "Of
# the three, …" ("the two" at the start is ``DANGLING``'s).
_COUNT_POINTING_BACK = re.compile(r"(?:^|\b(?:among|of|for|between|with|from|like|by)\s+)the\s+"
                                  r"(?:three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
                                  r"(?<=among the )two|(?<=of the )two|dozen)\b"
                                  r"(?=\s*(?:[,;:.!?]|$|(?:were|was|are|is|have|had|will|"
                                  r"would|who|include|included)\b))", re.I)
# A demonstrative standing alone after a preposition in mid-sentence ("… McConnell for that and
# for …", "angry about this, the union said"): it stands for something said before.
_POINTING_INSIDE = re.compile(r"\b(?:for|about|of|with|on|to|by|from|against|over|after|despite)"
                              r" (?:that|this|those|these)"
                              r"(?=\s*(?:,|;|—|–|\band\b|\bor\b|\bbut\b))", re.I)
# Necessary for it, and searched faster (it opens on letters, not at every word's start).
_DEMONSTRATIVE_BEFORE = re.compile(r"th(?:at|is|ose|ese)\s*(?:[,;—–]|and\b|or\b|but\b)", re.I)
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
# Bare forms that are verbs and nothing else: opening a sentence they give an instruction
# whatever follows ("Provide schools with …", "Develop model plans …"), like a list of demands.
_VERBS_ONLY = frozenset("""provide develop improve commit ensure establish eliminate strengthen
encourage prohibit restore invest expand reduce create require protect allow implement enact
adopt prevent promote remove clarify instruct reject oppose""".split())
_AFTER_COMMAND = frozenset("""a an the your yours yourself yourselves this that these those no
it them him her us me our my their his some any every all what how why at up out on in to for
back away down off about""".split())
_SOFTENER = re.compile(r"^(?:just|simply|please|now|so)\s+", re.I)
# An opening clause of condition or time, up to its comma: "If you stop somebody, …".
_OPENING_CLAUSE = re.compile(r"^(?:if|when|whenever|once|unless|before|after|until|as soon as|"
                             r"rather than|instead of)\b"
                             r"[^,]{1,80},\s*", re.I)
# A little word twice running ("to the the budget"): a slip in the source, not a point to show.
# Searched on the text in small letters (``doubled_word``), so case-sensitive.
_DOUBLED = re.compile(r"\b(the|a|an|to|of|in|on|for|and|or|is|was|with|by|at|from|who|which|be|"
                     r"are|were|has|have|will|not|but)\s+\1\b")


QUOTATION = re.compile(r"[“\"][^“”\"]*[”\"]")  # one quoted passage
_COMMA_CLOSING = re.compile(r",[”\"]\s+\S")  # "Because “…,” riders waited": the clause's comma
_SINGLE_CLOSE = re.compile(r"’(?![a-z])", re.I)


_LIST_MARK = re.compile(r"^\s*\(?(?:\d{1,2}|[a-z])\)\s")  # "1) …", "(a) …"


def balanced(text: str) -> bool:
    """Every quotation and parenthesis opened is closed, and none is closed that was not opened
    (a list's "1) …" aside): a sentence split inside a parenthesis is half of it."""
    if text.count("“") != text.count("”") or text.count('"') % 2:
        return False
    depth = 0
    for ch in _LIST_MARK.sub("", text) if "(" in text or ")" in text else "":
        if ch in "()":
            depth += 1 if ch == "(" else -1
            if depth < 0:
                return False
    if depth:
        return False
    opened = text.count("‘")
    closing = len(_SINGLE_CLOSE.findall(text))
    return opened == 0 or opened <= closing


def has_main_verb(text: str) -> bool:
    """Whether the sentence has a finite verb: an auxiliary or modal, an irregular past tense, a
    regular past (-ed) or third-person (-s) form after a word that can be its subject, or a bare
    verb after a plain subject ("we lose", "people call").

    A regular form is not the verb where it is a noun or an adjective by its place: joined by a
    hyphen ("blue-carpeted"), inside a participle phrase opened after a comma (", briefing
    reporters"), an -s form that ends the sentence, comes before "and"/"or" or before "of"
    ("the protest organizers.", "two tips and", "years of"), and, in a sentence that opens on an
    -ing word, one with no object after it ("Cracking down on visa overstays and …")."""
    folded = words(text)
    if not _PLAIN_FINITE.isdisjoint(folded) and not _NOUN_PASTS.issuperset(
            _PLAIN_FINITE.intersection(folded)):
        return True  # the common case, from the article's cached words: no second tokenising
    spans = [m.span() for m in _WORD.finditer(text)]
    tokens = [text[a:b].replace("’", "'") for a, b in spans]
    lowered = [t.lower() for t in tokens]
    gerund = bool(lowered) and _gerund_opening(lowered[0], tokens[0])
    # "From X to Y …" with no comma is one phrase of place or range: no word in it is a verb.
    ranged = (bool(lowered) and lowered[0] == "from" and "to" in lowered and "," not in text
              and _ARTICLES.isdisjoint(lowered[lowered.index("to"):]))
    in_participle = False
    for i, word in enumerate(lowered):
        if word in _FINITE_WORDS and not (word in _NOUN_PASTS and i
                                          and lowered[i - 1] in _NOUN_DETERMINERS):
            return True
        if word.endswith(("'re", "'ve", "'ll", "'d", "'m")):
            return True
        if word.endswith("'s") and word[:-2] in _IS_PRONOUNS:  # "it's", not "Trump's"
            return True
        if i == 0 or not tokens[i].islower():
            continue
        between = text[spans[i - 1][1]:spans[i][0]]
        if "," in between:  # a phrase after a comma: ", briefing reporters on …"
            in_participle = len(word) > 4 and word.endswith("ing")
        # What stands before: a number ("Jo Bloggs, 51, travelled") is not a function word.
        previous = "" if any(ch.isdigit() for ch in between) else lowered[i - 1]
        if (previous in _FUNCTION_WORDS and not tokens[i - 1].isupper()) or in_participle \
                or between == "-":  # WHO reported; "blue-carpeted"
            continue
        following = lowered[i + 1] if i + 1 < len(tokens) else ""
        suffix_s = word.endswith("s") and not word.endswith(("ss", "us", "is", "'s"))
        regular = len(word) > 3 and (word.endswith("ed") or suffix_s)
        if not regular or (following == "of" and word not in _OF_VERBS) or (
                suffix_s and (following in ("", "and", "or") or ranged
                              or _relative_after(lowered, tokens, i))):
            continue
        after = text[spans[i][1]:].lstrip()[:1]
        has_object = bool(after) and (following in _OBJECT_STARTS or after in "$0123456789"
                                      or (i + 1 < len(tokens) and tokens[i + 1][:1].isupper()))
        if gerund and (not has_object or _ACTION_LIST.search(text)):
            continue  # "Simplifying the code from six brackets to three, reducing …"
        # A past with a bare noun after it ("…, expressed dismay"), not a participle's "by",
        # "and" or adverb ("Pilots, angered by …", "…, sobered but resolute").
        has_object = has_object or (word.endswith("ed") and after.isalpha() and after.islower()
                                    and following not in _FUNCTION_WORDS
                                    and following not in PREPOSITIONS
                                    and not following.endswith("ly"))
        # A verb follows its subject without a comma, unless it takes an object ("Jo Bloggs,
        # 51, faced the court"): "Jo Bloggs, sobered but resolute." has none.
        if "," not in between or has_object:
            return True
    for i, word in enumerate(lowered if not ranged else ()):
        plural = (_plural_form(word)  # not "this": "… on this issue"
                  and text[spans[i][1]:spans[i][1] + 1] not in ("'", "’"))  # "pilots' advice"
        if plural and i > 1 and lowered[i - 1] in _DETERMINERS and lowered[i - 2] in PREPOSITIONS:
            continue  # "to the millions south of …": not a subject
        if word in _PLAIN_SUBJECTS or plural:  # "we lose", "schools reopen"
            rest = [w for w in lowered[i + 1:i + 5] if not w.endswith("ly")
                    and w not in ("also", "still", "never", "just", "even", "so", "all")]
            if (rest and rest[0] not in _FUNCTION_WORDS and rest[0] not in _PLAIN_SUBJECTS
                    and rest[0] not in PREPOSITIONS
                    and not rest[0].endswith(("s", "ing")) and rest[0] in lowered[i + 1:i + 5]
                    and tokens[(j := lowered.index(rest[0], i + 1))].islower()
                    and "," not in text[spans[i][1]:spans[j][0]]):  # no comma between
                return True
    return False


def _plural_form(word: str, not_endings: tuple[str, ...] = ("ss", "us", "'s")) -> bool:
    """Whether a folded word has a plural's form: longer than three letters, in -s but none of
    ``not_endings`` ("boss", "bus", "Trump's"), and not a function word ("this")."""
    return (len(word) > 3 and word.endswith("s") and not word.endswith(not_endings)
            and word not in _FUNCTION_WORDS)


def _relative_after(lowered: list[str], tokens: list[str], i: int) -> bool:
    """Whether a relative clause opens after the plural noun at ``i``: "who" or "which", or
    "that", adverbs, then a bare verb and its object ("companies that now control the …"), not
    "says that the …", "warns that prices …"."""
    following = lowered[i + 1] if i + 1 < len(lowered) else ""
    if following in ("who", "which"):
        return True
    if following != "that":
        return False
    j = i + 2
    while j < len(lowered) and (lowered[j] in _ADVERBS or lowered[j].endswith("ly")):
        j += 1
    if j + 1 >= len(lowered):
        return False
    verb, then = lowered[j], lowered[j + 1]
    return (tokens[j].islower() and verb not in _FUNCTION_WORDS and verb not in _PLAIN_SUBJECTS
            and not verb.endswith(("s", "ed", "ing")) and then in _OBJECTS)


def _gerund_opening(word: str, token: str) -> bool:
    """A sentence opening on an -ing word other than a preposition or a pronoun ("Cracking down
    …", not "During …", "According to …", "Nothing …")."""
    return (len(word) > 5 and word.endswith("ing") and token[:1].isupper()
            and word not in _NOT_GERUNDS)


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
    if (_at_end(_CUT_END, text.rstrip()) or open_ended(text) or _DATE_CUT.match(body)
            or not has_main_verb(text)):
        return True
    # A comma inside a quotation ends no subordinate clause: "Because Americans will gather
    # “their own data …, and what they yield.”" has no main clause.
    return ((bool(_SUBORDINATE.match(body)) and "," not in QUOTATION.sub("", body)
             and not _COMMA_CLOSING.search(body))
            or bool(_GERUND_THEN_QUOTE.match(body)) or _gerund_with_only_a_relative_verb(body))


def _gerund_with_only_a_relative_verb(text: str) -> bool:
    """An -ing phrase whose only finite verbs are in relative clauses: "Describing the tornado
    that swept across the plains." (what the describing did is missing)."""
    if "," in text:
        return False
    lowered = [w.lower() for w in _WORD.findall(text)]
    if not lowered or not _gerund_opening(lowered[0], text.lstrip("“\"‘'(").split(None, 1)[0]):
        return False
    finite = [i for i, w in enumerate(lowered) if w in _FINITE_WORDS]
    if not finite or not all(i > 0 and lowered[i - 1] in _RELATIVES for i in finite):
        return False
    # Nor a regular verb before the first relative clause ("Acting Director Jo Bloggs on Monday
    # defended a rule that would …": "Acting" is a title).
    head = re.split(r"\b(?:that|which|who)\b", text, maxsplit=1, flags=re.I)[0]
    return not has_main_verb(head.rstrip() + ".")


def leans_back(text: str) -> bool:
    """Whether the sentence needs the one before it to make sense: it opens on a pronoun or a
    connective, closes a quote on a bare "he said", ends on a demonstrative ("…understood
    that.") or speaks of "the same" thing with nothing to compare it with."""
    body = text.lstrip("“\"‘'(")
    dangling = DANGLING.match(body)
    if dangling and dangling.group().isupper() and len(dangling.group()) > 1:
        dangling = None  # an acronym ("WHO reported…"), not a pronoun
    return bool(dangling or _bare_speaker(text) or _PRONOUN_SUBJECT.match(body)
                or (_DEMONSTRATIVE_BEFORE.search(text) and _POINTING_INSIDE.search(text))
                or _at_end(_ENDS_POINTING_BACK, text.rstrip())
                or _at_end(_NOUN_POINTING_BACK, text.rstrip())
                or _at_end(_PRONOUN_SAYS_AT_END, text.rstrip())
                or (len(text) < 160 and bool(_SAID_NOTHING.match(body)))
                or ("the " in text.lower() and bool(_COUNT_POINTING_BACK.search(body)))
                or _same_without_comparison(body)
                or _shell_pointing_back(body) or _them_without_antecedent(body))


def _shell_pointing_back(text: str) -> bool:
    """A demonstrative in mid-sentence before a shell noun ("… increases that number to …"): it
    stands for something said before, unless "that" opens a clause ("said that policy …")."""
    if not any(d in text for d in ("this ", "that ", "these ", "those ", "This ", "That ")):
        return False
    if _COUNTED_BACK.search(text, 1):
        return True  # "… outside those two countries": which two?
    for m in _SHELL.finditer(text):
        if m.start() == 0:
            continue  # at the start: ``DANGLING``'s case
        before = text[:m.start()].rstrip(" ,").rsplit(None, 1)[-1:]
        if m.group().lower().startswith("that") and before and \
                before[0].lower().strip("“\"‘'(") in _THAT_CLAUSE:
            continue
        return True
    return False


def _them_without_antecedent(text: str) -> bool:
    """"them" in mid-sentence with nothing before it that it can stand for: no plural noun, no
    names joined by "and" ("Previous efforts to read them, …": not the efforts themselves, the
    head of the infinitive that holds the pronoun)."""
    if "them" not in text:
        return False
    lowered = [w.lower() for w in _WORD.findall(text)]
    if "them" not in lowered[1:]:
        return False
    k = lowered.index("them", 1)
    for j, word in enumerate(lowered[:k]):
        if word == "and" or word in _PLURAL_NOUNS:
            return False
        plural = _plural_form(word, ("ss", "us", "is", "'s"))
        if plural and not (j + 1 < k and lowered[j + 1] == "to" and k - j <= 4):
            return False  # "Pilots asked the board to help them": not "efforts to read them"
    return True


_TAIL = 24  # longer than any match of the patterns anchored at the end


def _at_end(pattern: re.Pattern[str], text: str) -> bool:
    """``pattern.search(text)`` for a pattern anchored at the end, read on the last characters
    only (the whole text again where a match would reach the cut)."""
    if len(text) <= _TAIL:
        return bool(pattern.search(text))
    found = pattern.search(text[-_TAIL:])
    return found is not None and (found.start() > 0 or bool(pattern.search(text)))


# A speaker's tag whose words were in the sentence before: "Harvard professor Laurence Tribe
# wrote on Twitter.", "The ministry said in a statement."
_SAID_NOTHING = re.compile(rf"^[^,;:“”\"]{{3,120}}\b{alternation(TAG_ALONE)}"
                           r"(?: (?:on|in|to) (?!that\b)[\w’']+(?: (?!that\b)[\w’']+){0,2})?[.!]?$",
                           re.I)
# Who thought so, a pronoun with nobody before it: "…, he knew.", "…, she said."
_PRONOUN_SAYS_AT_END = re.compile(rf",\s+(?:he|she|they)\s+{alternation(HOLDING)}[.!]?$", re.I)


def _bare_speaker(text: str) -> bool:
    """``BARE_SPEAKER``, searched only where a quotation mark or a pronoun at the start allows
    it."""
    if not any(q in text for q in "”\"’'") and text[:1] not in "HhSsTt":
        return False
    return bool(BARE_SPEAKER.search(text))


def _same_without_comparison(text: str) -> bool:
    if "same" not in text.lower():
        return False
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
    head, colon, tail = body.partition(": ")
    # A label without a verb, then a slogan or a command: "The message on this: Bring it on!"
    if colon and tail[:1].isupper() and (tail.rstrip(" ”\"’')").endswith("!")
                                         or instruction(tail)) and not has_main_verb(head):
        return True
    first = [w.strip(",;:").replace("’", "'") for w in body.split(None, 2)[:2]]
    if len(first) < 2:
        return False
    if first[0] == "Let's":
        return True  # "Let's take the next few minutes to fact-check …": a call, not a point
    opening = first[0].lower()
    verb_ize = len(opening) > 6 and opening.endswith("ize")
    if ((opening in _DEMANDS or verb_ize) and first[0][:1].isupper() and first[1].isalpha()
            and first[1].islower()
            and (verb_ize or first[1] in _ARTICLES or (
                first[1] not in _FUNCTION_WORDS and not first[1].endswith(("s", "ed", "ing"))))
            and _PLAIN_FINITE.isdisjoint(words(body))):
        return True  # "Review safety standards for …", "Launch a review …", "Maximize …"
    if first[0].lower() in _VERBS_ONLY or (first[0].lower() == "move" and first[1].lower() in (
            "on", "forward", "ahead", "away")):
        return first[0][:1].isupper() and first[1].lower() not in ("of", "'s")
    if first[0].lower() not in _COMMANDS:
        return False
    # Then what a verb takes: "Get a lawyer", "Meet Jo Bloggs", "Consider, for example, …".
    return (first[1].lower() in _AFTER_COMMAND or first[1][:1].isupper()
            or body.split(None, 1)[0].endswith(","))


def title_case(text: str) -> bool:
    """A headline set as a sentence: every word of four or more capitalised, little words too
    ("The Fed Just Raised Its Rate Again.")."""
    if _SPACE_SMALL.search(text):
        return False  # a word opens on a small letter (the common case, found at once)
    found = [w for w in _WORD.findall(text) if w[0].isalpha()]
    return len(found) >= 4 and all(w[0].isupper() for w in found) and any(
        w.lower() in _FUNCTION_WORDS for w in found[1:])


def doubled_word(text: str) -> bool:
    """Whether a little word repeats at once ("the The Donald"): a slip in the source."""
    # On small letters, case-sensitive: twice as fast as the case-blind search, and the same.
    return bool(_DOUBLED.search(text.lower()))


def stands_alone(text: str) -> bool:
    """Whole, balanced and free of references back."""
    return balanced(text) and not fragment(text) and not leans_back(text)


# Page text that is not prose: a web address, a chart's axis ("20% 30 40 50"), a link's text
# glued to a colon ("2019:Get a jump …"), or a heading run into the next sentence ("Third vote
# Many states …": a lower-case word, then a word that only opens a sentence).
_NOT_PROSE = re.compile(r"https?://|\bwww\.\w|\b\d+%?\s+\d+%?\s+\d+%?\s+\d+%?\s"
                        r"|(?<=[a-z0-9]):[A-Z][a-z]")
# Necessary for ``_NOT_PROSE``'s last two parts, and faster to search.
_COLON_GLUE = re.compile(r":(?<=[a-z0-9]:)[A-Z][a-z]")
_NUMBERS = re.compile(r"\d+%?\s+\d+%?\s+\d+%?\s+\d+%?\s")
# Written to be searched fast (it opens on a capital, not on every lower-case letter); the word
# before must be all small letters (``_glued_heading``).
_GLUED = re.compile(r"(?<=[a-z] )(?:Many|Most|Several|These|Those|They|She|He|We|It|After|Before|"
                    r"When|While|Although|Because) [a-z]")
HEADING_WORDS = 14


def not_prose(text: str) -> bool:
    """Whether the sentence is page text rather than prose: a line without its full stop short
    enough to be a heading or headline ("Jobs report hits budget debate"), a web address, a
    chart's numbers, a link's text or a heading glued to the sentence after it."""
    stripped = text.rstrip()
    if not stripped.endswith((".", "!", "?", "…", '"', "”", "’", ")", "'")) \
            and len(_WORD.findall(stripped)) <= HEADING_WORDS:
        return True
    if ("://" in stripped or "www." in stripped or _COLON_GLUE.search(stripped)
            or _NUMBERS.search(stripped)) and _NOT_PROSE.search(stripped):
        return True  # the cheap searches first: each opens on a literal or a digit
    return _glued_heading(stripped)


def _glued_heading(text: str) -> bool:
    """A heading run into the sentence after it: a word of small letters, then a word that only
    opens a sentence ("Third vote Many states …")."""
    for found in _GLUED.finditer(text):
        end = i = found.start() - 1  # the space before the capital
        while i and "a" <= text[i - 1] <= "z":
            i -= 1
        if end - i >= 2 and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")):
            return True
    return False
