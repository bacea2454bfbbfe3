"""Sentences that are page furniture, not the article: captions, credits, bios, disclaimers, and
an interview's greetings and thanks."""

from __future__ import annotations

import re

# A writer's trade, as a bio names it.
_TRADE = (r"(?:(?:best-selling |bestselling |syndicated |nationally syndicated |freelance |"
          r"former )?(?:writer|author|attorney|lawyer|columnist|commentator|journalist|novelist|"
          r"blogger|contributor|radio host|talk show host|political analyst|economist|historian))")
_MONTH = (r"(?:January|February|March|April|May|June|July|August|September|October|November|"
          r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?")
_DAY = r"(?:(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),\s+)?"
# Patterns that hold at the sentence's start (tried there only, as one alternation).
AT_START = [
    r"(?:follow|like) (?:us|@\w+|\w+ on)\b|follow @",
    r"(?:sign up|subscribe|click here|read more|related:|see also:|advertisement\b|watch:"
    r"|listen:)",
    r"https?://\S+$",
    r"hear more\b|please include your\b|update(?:d)?(?: at)? \d",
    # A broadcaster's note under its transcript: "NPR transcripts are created on a rush
    # deadline …", "This text may not be in its final form …".
    r"[\w’'. ]{0,30}transcripts are created on a rush deadline\b|this text may not be in its "
    r"final form\b|accuracy and availability may vary\b|the authoritative record of [\w’'. ]{1,30}"
    r"programming is the audio record\b",
    r"\([^()]*\b(?:AP|AFP|Getty|Reuters|EPA|Photo|via)\b[^()]*\)(?:\s*\d{4} \w+)?\.?$"
    r"|Getty Images\b",
    # A bio: "Jo Bloggs, a columnist for the Post, writes …".
    r"(?-i:[A-Z])[^.,]{2,60}, (?:an?|the) [^.]{0,80}\b(?:contributors?|columnist|commentator|"
    r"editor|fellow|author|writer|host|correspondent)\b[^.]{0,80}\b(?:writes|is|hosts)\b",
    r"(?:must watch|watch|video|listen|now playing)\b.*\d{1,2}:\d{2}\.?$",  # a video teaser
    # Greetings and thanks ("Mayor Okafor, thank you for coming in."), short and without figures.
    r"(?:\w+(?: \w+){0,2},\s+)?(?:good (?:morning|afternoon|evening)|hello|welcome (?:back|to)"
    r"|thank you|thanks(?! to)|it's (?:a pleasure|great|good) to)\b[^.!?\d]{0,60}[.!]?$",
    # A pointer to another page ("Read a response from … here.") or a contact line.
    r"read (?:a|an|the|our|his|her|their|more|this)\b[^.]{0,100}\bhere\.?$",
    r"(?:write to|contact|email|e-mail|reach|connect with) (?:\w+ ){0,4}(?:at|on|via)\b",
    r".{0,140}?\b[\w.+-]+@[\w-]+\.\w{2,}\b.{0,40}$",  # a short line with an e-mail address
    # A parenthetical pointer ("(Link to the poll: politi.co/…)", "(Graphic: … - tmsnrt.rs/…)",
    # "( PHOTOS: …)", "( Also on POLITICO: …)").
    # Its word then a colon, or at most three words more ("(See chart.)"): "(Related parties
    # own 40 percent …)" is the article's.
    r"\(\s*(?:links?|graphics?|charts?|videos?|photos?|maps?|related|see|also on|more on"
    r"|more from|read|watch|listen)\b(?:[^():]{0,40}:[^()]*|(?:\s+[^()\s]+){0,3}\s*)\)\.?$",
    # Calls to the reader to write in; an editor's note on the page's history.
    r"we(?:'d| would)? (?:want|like|love) to hear from you\b|(?:tell|let) us (?:what|know)\b",
    r"(?:editor'?s'? )?note: this (?:story|article|post|piece)\b|editor(?:'|’)?s(?:'|’)? note\s*:",
    # A correction notice ("CORRECTION: An earlier version of this story misstated …"): the
    # page's history, not a claim of the article. "Corrections officers said …" stays.
    r"(?-i:CORRECTION|CLARIFICATION)\b|corrections? (?:&|and) amplifications\b"
    r"|(?:correction|clarification)\b[^.:]{0,40}:|corrected by:"
    r"|(?:this|the) (?:story|article|report|posting|post) (?:has been|was) (?:corrected|updated)\b"
    r"|(?:an earlier|a previous) version of this (?:story|article|report|post)\b",
]
# Patterns that may hold anywhere in the sentence, each searched on its own (an alternation of
# unanchored patterns is tried at every position, several times slower than separate searches)
# and only where one of its words is in the sentence in small letters: each pattern needs one of
# them, so the word test decides most sentences at once with the same answer.
ANYWHERE: list[tuple[tuple[str, ...], str]] = [
    (("©", "copyright", "all rights reserved"), r"©|\bcopyright\b|\ball rights reserved\b"),
    (("contributed",), r"\bcontributed (?:to )?(?:this|the) (?:report|story|article)\b"),
    (("twitter:",), r"\bon twitter: https?://"),
    (("expressed",), r"\bthe (?:opinions|views) expressed (?:in this|here)\b"),
    (("is a",), r"\bis an? (?:attorney|writer|columnist|contributor|professor|fellow|editor|"
                r"senior fellow)\b.*\b(?:board of contributors|contributor to|columnist for|"
                r"at the)\b"),
    (("photo",), r"\((?:AP|Reuters|Getty|AFP) Photo\b|\bphoto(?:graph)?: |\bfile photo\b"),
    ((",",), rf",\s+{_DAY}{_MONTH}\s+\d{{1,2}},\s+\d{{4}}\.?$"),  # a caption ends with its date
    (("promo code", "click here", "read more", "view slideshow"),
     r"\bpromo code\b|\bclick here\b|(?-i:\bREAD MORE\b)|\bread more\.?$|\bview slideshow\b"),
    (("newsletter",), r"\b(?:receive|get|sign up for)\b[^.]{0,60}\bnewsletters?\b"),
    (("/",), r"/(?:AP|AFP|Getty Images|Reuters|EPA)\b"),
    # A caption's credit after a bar: "… link Carter and Obama. | AP Photos"
    (("|",), r"\|\s*(?:AP|AFP|Getty(?: Images)?|Reuters|EPA)(?: Photos?)?\b"),
    # A bio that is only a name and trades: "David Limbaugh is a writer, author and attorney."
    (("is a",), rf"^(?-i:[A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+){{1,3}}) is an? {_TRADE}"
                rf"(?:(?:,| and|, and) (?:an? )?{_TRADE})*\.?$"),
    # A syndicated bio giving the writer's age and schooling: "Jo Bloggs, 35, is a graduate of
    # Leeds, host of …".
    (("is a graduate",), r"^(?-i:[A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+){1,3}), \d{2}, is a graduate "
                         r"of\b[^.]*\b(?:host|editor|author|columnist|contributor)\b"),
    # "…, is the author of …" closing a bio.
    (("is a", "is the"), r"\bis (?:an?|the) (?:author|host|editor|columnist)\b[^.]{0,60}"
                         r"\b(?:of|at|for|on)\b[^.]{0,80}\.?$"),
    # An embedded tweet's signature: "— Name (@handle) April 11, 2016".
    (("(@",), rf"\(@\w+\)\s+{_MONTH}\s+\d{{1,2}},\s+\d{{4}}\.?$"),
    # Calls to the reader: to give, to join (not inside a quotation), to start a trial.
    (("please consider", "free trial", "join u", "join o"),
     r"\bplease consider (?:making a contribution|supporting|donating|subscribing)\b"
     r"|\bstart (?:a|your) free trial\b|\bjoin (?:us|our)\b(?![^“”\"]*[”\"])"),
    (("has been updated",), r"\bhas been updated to reflect\b"),
    # A broadcast's introduction of its guest, short: "NPR's Scott Horsley joins us now from the
    # White House.", "Our correspondent is here for more."
    # "Here's NPR national security correspondent David Welna."
    (("here's", "here’s", "here is"),
     r"^here(?:'s|’s| is) (?:[\w’'.]+ ){0,5}(?:correspondent|reporter|host|editor)\b[^.!?]{0,50}"
     r"\.?$"),
    (("joins us", "joined us", "is here", "is with us"),
     r"^[^.!?]{0,80}\b(?:joins|joined) us(?: now)?(?: (?:from|in|on|here)\b[^.!?]{0,60})?\.?$"
     r"|^[^.!?]{0,80}\bis (?:here|with us)(?: now)? (?:for more|with more|"
     r"to (?:tell|talk|explain|discuss)\b[^.!?]{0,40})\.?$"),
]
_AT_START = re.compile("|".join(f"(?:{p})" for p in AT_START), re.I)
_ANYWHERE = [(needles, re.compile(p, re.I)) for needles, p in ANYWHERE]


def is_boilerplate(sentence: str) -> bool:
    """True for captions, credits, author bios, disclaimers, calls to follow or subscribe, and
    greetings and thanks."""
    text = sentence.strip()
    if _AT_START.match(text):
        return True
    small = text.lower()
    return any(any(n in small for n in needles) and p.search(text) for needles, p in _ANYWHERE)


OPINION_MARKERS = re.compile(r"^(?:opinion|commentary|op-ed|editorial|column|analysis)\s*[:|–-]"
                             r"|\bthe (?:opinions|views) expressed\b|\bop-ed\b", re.I)
PRESCRIPTIVE_TITLE = re.compile(r"\b(?:must|should|need to|needs to|it's time|it is time|don't|"
                                r"do not|stop|let's)\b", re.I)
