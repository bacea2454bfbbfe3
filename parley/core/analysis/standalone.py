"""Whether a sentence stands alone as a summary point: it does not lean on the sentence before (a
pronoun, a connective, "The last time", a bare "he said"), its quotation marks are balanced, and it
is a whole sentence rather than a clause cut from its main verb."""

from __future__ import annotations

import re

# A sentence that leans on the one before: a pronoun, or a connective (But…, And…, However, …).
DANGLING = re.compile(r"^(?:it|its|this|that|these|those|they|their|them|he|his|him|she|her|such|"
                      r"there|both|the latter|the former|but|and|yet|nor|or|however|instead|"
                      r"nevertheless|nonetheless|moreover|furthermore|therefore|thus|hence|also|"
                      r"so(?! far\b| many\b| much\b| long\b)|which|whose|the last time|"
                      r"the next time|the first time|the same|the other|the move|the decision|"
                      r"the remarks?|the comments?|the statement|the announcement|the two|"
                      r"then|still|meanwhile|otherwise|likewise|similarly|in addition|besides|"
                      r"after all|in fact|indeed|even so|at the same time|by contrast|"
                      r"for example|for instance|in other words|as a result)\b", re.I)
# A quotation closed by a pronoun's verb ("…," he said): who said it is in an earlier sentence.
BARE_SPEAKER = re.compile(r"[”\"’'],?\s+(?:he|she|they|it|we|i)\s+(?:said|says|added|told|"
                          r"explained|wrote|noted|argued|continued|asked|replied|insisted)\b"
                          r"|^(?:he|she|they) (?:said|says|added)\b", re.I)
# A clause that cannot stand as a sentence: it opens on a participle, an infinitive or a
# subordinating word and has no main clause after a comma.
_SUBORDINATE = re.compile(r"^(?:(?!(?:no|some|any|every)thing)[a-z]{3,}ing (?:that|to|on|about|"
                          r"for|with|it|its|his|her|their)|to|rather than|whereas|while|because|"
                          r"although|though|"
                          r"if|unless|whether|as if|so that|in order to|despite|according to|"
                          r"on (?:why|how|what|whether|not|being))\b",
                          re.I)
# A sentence the splitter ended too early ("Town of Greece v.") or that introduces what follows.
_CUT_END = re.compile(r"(?:[:…,;]|\.\.\.|\b(?:v|vs|Mr|Mrs|Ms|Dr|St|No|Gov|Sen|Rep|Ste)\.)$")


def balanced_quotes(text: str) -> bool:
    """Every quotation opened is closed, and none is closed that was not opened."""
    if text.count("“") != text.count("”") or text.count('"') % 2:
        return False
    opened = text.count("‘")
    closing = len(re.findall(r"’(?![a-z])", text, re.I))
    return opened == 0 or opened <= closing


def fragment(text: str) -> bool:
    """A clause without its main verb: lower-case at its start, or a participle, infinitive or
    subordinate clause with no main clause after it."""
    body = text.lstrip("“\"‘'(")
    if not body or (not body[0].isupper() and not body[0].isdigit()):
        return True
    if _CUT_END.search(text.rstrip()):
        return True
    return bool(_SUBORDINATE.match(body)) and "," not in body


def leans_back(text: str) -> bool:
    """Whether the sentence needs the one before it to make sense."""
    body = text.lstrip("“\"‘'(")
    return bool(DANGLING.match(body) or BARE_SPEAKER.search(text))


def stands_alone(text: str) -> bool:
    """Whole, balanced and free of references back."""
    return balanced_quotes(text) and not fragment(text) and not leans_back(text)
