"""Page furniture left in pasted text and crawled HTML, removed before sentences are stored:
whole blocks (captions, "CLOSE" video teasers, "Advertisement", share-button runs, newsletter
and "join us" calls, "Read more" links, embedded explainer boxes), prefixes glued to a
sentence ("Advertisement The president said …") and headline links glued into one after a
name (The Hill's "… MORE")."""

from __future__ import annotations

import re

_SHARE = r"(?:Facebook|Twitter|Pinterest|WhatsApp|LinkedIn|Reddit|Email|E-mail|Messenger|Print|" \
         r"Share|Comment|Comments|Copy link|SMS|Flipboard|Tumblr)"
# A block that is furniture from its first words on.
_WHOLE = re.compile(
    r"^(?:(?-i:CLOSE)\b|close\s*$"
    rf"|{_SHARE}(?:\s+{_SHARE}){{1,}}\b"
    r"|(?:Enlarge this image\s+)?toggle caption\b|Image copyright\b|Image caption\b"
    r"|Media playback is unsupported\b|Media caption\b|JUST WATCHED\b|MUST WATCH\b"
    r"|Story continued below\b|Continue reading (?:the main story|below)\b"
    r"|(?-i:Advertisement|ADVERTISEMENT|AD)\s*(?::\s*)?(?:$|Continue reading)"
    r"|Sponsored(?: content)?\s*$|Supported by\s*$|Loading\.*$|Story highlights\b"
    r"|Photo\s*$|Video\s*$|Audio\s*$|YouTube\s*$|Slideshow\b|Gallery\s*:|Photos?\s*:"
    r"|(?:prev|next) Image \d+ of \d+|Image \d+ of \d+|\[(?:pullquote|embedtweet|caption)\b"
    r"|Read more\b|READ MORE\b|More\s*:|MORE\s*:|Related\s*:|RELATED\s*:|See also\s*:"
    r"|Read or Share this story\b|Read the full\b|More on this\b|More On This\b"
    r"|Full coverage\s*:|Recommended\s*:|Trending\s*:|Most (?:read|popular)\s*$"
    r"|(?:Please )?(?:sign up|subscribe)\b|Get (?:our|the) [\w' ]{0,40}newsletter\b"
    r"|Newsletter sign[- ]up\b|Want more [^.]{0,80}(?:inbox|newsletter)"
    r"|Get the Monitor Stories\b|CLICK HERE\b|Click here\b|Don't see the graphic"
    r"|Follow (?:us|@|[\w. ]{1,40} on (?:Twitter|Facebook|Instagram))"
    r"|Join (?:us|our|the conversation)\b|Like us on Facebook\b"
    r"|Update(?:d)?(?: at)? \d{1,2}:\d{2}\b|Published \d{1,2}:\d{2}\b"
    r"|\d+ (?:hours?|days?|years?) ago$"
    r"|Copyright (?:©|\(c\)|\d{4})|©|All rights reserved\b"
    r"|(?:This|The) (?:article|story) (?:first )?appeared\b|Reprinted (?:from|with)\b"
    r"|Send letters to\b|To (?:read|submit|respond|join)\b[^.]{0,80}\b(?:opinion|letter|column|"
    r"editorial|newsletter|conversation)"
    r"|You can read diverse opinions\b|The (?:opinions|views) expressed\b)", re.I)
# A block that is a caption: ends on a photo credit.
_CAPTION = re.compile(r"(?:\(Photo(?:graph)?s?:[^)]*\)|Photograph: [^.]{2,80}|"
                      r"\((?:AP|Reuters|AFP|Getty Images|EPA)(?: Photo)?[^)]{0,60}\))\s*$"
                      r"|^Photo(?:graph)?s?:\s", re.I)
# A link to another story, its headline followed by the link's words (The Guardian's "Trump
# baselessly claims Democrats are behind migrant caravan Read more").
_RELATED = re.compile(r"^\S.{0,200}\s(?:Read more|READ MORE)$")
# Furniture words that may be glued to the front of a real sentence.
_PREFIX = re.compile(
    rf"^(?:(?:Advertisement|ADVERTISEMENT|Story Continued Below|Continue reading the main "
    rf"story|Enlarge this image|toggle caption|Skip Ad|Share this (?:article|story)|"
    rf"{_SHARE}(?:\s+{_SHARE})+)\s+)+(?=[A-Z0-9\"“‘'(])")
# The Hill's link on a name: the person's full name glued to three headlines, then "MORE", after
# the name as the sentence gives it ("President Trump Donald John TrumpGOP senators balk at …
# MORE’s first State of the Union" → "President Trump’s first State of the Union").
_NAME_WIDGET = re.compile(r"\b(?P<name>[A-Z][\w'’-]*[a-z])\s(?:[A-Z(][\w.'’()-]*\s){0,4}(?P=name)"
                          r"(?=[A-Z0-9‘“'\"])[^\n]{0,400}?\sMORE\b")
# An embedded explainer box: "Quick guide", its title, "Show"/"Hide", …, its closing line.
_BOX_START = re.compile(r"^(?:Quick guide|Explainer|Factbox|Key facts|Fact box)\b", re.I)
_BOX_TOGGLE = re.compile(r"^(?:Show\s*Hide|Show|Hide)$", re.I)
_BOX_END = re.compile(r"^(?:Was this helpful\??|Thank you for your feedback\.?)$", re.I)
BOX_MAX_BLOCKS = 20


def is_furniture_block(text: str) -> bool:
    """Whether a whole block (paragraph or heading) is page furniture."""
    text = text.strip()
    return bool(_WHOLE.match(text) or _CAPTION.search(text) or _RELATED.match(text))


def strip_prefix(text: str) -> str:
    """A sentence without the furniture glued to its front ("Advertisement The …" → "The …")."""
    return _PREFIX.sub("", text.strip(), count=1)


def strip_widgets(text: str) -> str:
    """A paragraph without the headline links glued into it after a name (``_NAME_WIDGET``)."""
    if " MORE" not in text:
        return text
    return _NAME_WIDGET.sub(lambda m: m["name"], text)


def drop_boxes(blocks: list[str]) -> set[int]:
    """Positions of the blocks that make an embedded explainer box ("Quick guide … Show Hide …
    Was this helpful?"), so that its lines are not taken for the article's."""
    dropped: set[int] = set()
    i = 0
    while i < len(blocks):
        if _BOX_START.match(blocks[i]) and (
                "show" in blocks[i].lower() or any(_BOX_TOGGLE.match(b) or "Show Hide" in b
                                                   for b in blocks[i + 1:i + 4])):
            end = next((j for j in range(i + 1, min(len(blocks), i + BOX_MAX_BLOCKS))
                        if _BOX_END.match(blocks[j])), None)
            if end is None:  # no closing line: only the box's head is known to be furniture
                end = max((j for j in range(i + 1, min(len(blocks), i + 4))
                           if _BOX_TOGGLE.match(blocks[j]) or "Show Hide" in blocks[j]),
                          default=i)
            dropped.update(range(i, end + 1))
            i = end + 1
        else:
            i += 1
    return dropped
