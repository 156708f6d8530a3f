"""Checking a quote against its source's document, and pointing readers at the passage. Pure.

A quote is found in a document when its words are there, read as a person reads them:
whatever the style of its quotation marks (“ ” „ « » ‘ ’ " ' are one mark here), however its
whitespace runs, in any case, and only as whole words ("humane" is not in "inhumane"). An
editor's elision, "[...]" or "[…]", stands for words left out: the parts around it must each
be found, in order. Offsets are those of the document's text, in code points.
"""

import re
import unicodedata
from urllib.parse import quote

# Every quotation mark and apostrophe reads as one mark: the story's house style is not the
# document's, and a typewriter apostrophe is the same word as a curly one.
QUOTE_MARKS = "\"'“”„‟«»‹›‘’‚‛`´′″"
QUOTE_MARK = "'"
# At the edges of a quote, quotation marks and the stop that a comma replaces ("at once." is
# quoted as "at once," she wrote) are the story's punctuation, not the speaker's words.
EDGE_PUNCTUATION = QUOTE_MARKS + ",.;:" + " \t\n\r\u00a0"
ELISION = re.compile(r"\[\s*(?:…|\.\s*\.\s*\.)\s*\]")
# A text fragment names a long quote by its first and last words, not all of them.
FRAGMENT_WORDS = 8
FRAGMENT_EDGE_WORDS = 4


def find_in_document(words: str, document: str) -> tuple[int, int] | None:
    """Where ``words`` (a quote, perhaps with elisions) are in ``document``, or None.

    Returns the span from the start of the first part to the end of the last one, in the
    document's own offsets. Quotation marks, stops, commas and whitespace at the edges of each
    part are the story's punctuation, not the speaker's words, and are left out; words with
    nothing left to find are never found.
    """
    parts = [_normalized(part)[0] for part in quote_parts(words)]
    if not parts:
        return None
    text, origins = _normalized(document)
    start = None
    position = 0
    for part in parts:
        found = _find_whole_words(text, part, position)
        if found is None:
            return None
        if start is None:
            start = found
        position = found + len(part)
    return origins[start], origins[position - 1] + 1


def quote_parts(words: str) -> list[str]:
    """The parts of a quote between its elisions, without the quotation marks, stops, commas
    and spaces at their edges."""
    parts = (part.strip(EDGE_PUNCTUATION) for part in ELISION.split(words))
    return [part for part in parts if part]


def text_fragment_url(url: str, words: str) -> str:
    """``url`` with a text fragment that has a browser scroll to and highlight ``words``.

    A short quote is named whole (``#:~:text=words``); a long or elided one by its first and
    last words (``#:~:text=first%20words,last%20words``). Returns ``url`` unchanged when the
    quote has no words to name.
    """
    parts = [" ".join(part.split()) for part in quote_parts(words)]
    if not parts:
        return url
    first, last = parts[0].split(), parts[-1].split()
    if len(parts) == 1 and len(first) <= FRAGMENT_WORDS:
        directive = _fragment_text(parts[0])
    else:
        start = " ".join(first[:FRAGMENT_EDGE_WORDS])
        end = " ".join(last[-FRAGMENT_EDGE_WORDS:])
        directive = f"{_fragment_text(start)},{_fragment_text(end)}"
    separator = ":~:" if "#" in url else "#:~:"
    return f"{url}{separator}text={directive}"


def _fragment_text(text: str) -> str:
    # "-", "," and "&" are the directive's own syntax, so they are escaped too.
    return quote(text, safe="").replace("-", "%2D")


def _normalized(text: str) -> tuple[str, list[int]]:
    """``text`` in the form compared (one quotation mark, single spaces, case folded), with
    the offset in ``text`` each of its characters comes from."""
    characters, origins = [], []
    for offset, character in enumerate(text):
        if character.isspace() or unicodedata.category(character) == "Zs":
            if characters and characters[-1] == " ":
                continue
            folded = " "
        elif character in QUOTE_MARKS:
            folded = QUOTE_MARK
        else:
            folded = character.casefold()
        characters.append(folded)
        origins.extend([offset] * len(folded))
    return "".join(characters), origins


def _find_whole_words(text: str, part: str, position: int) -> int | None:
    """The first offset from ``position`` where ``part`` is in ``text`` as whole words."""
    while (found := text.find(part, position)) != -1:
        end = found + len(part)
        cuts_before = found > 0 and _in_word(text[found - 1]) and _in_word(part[0])
        cuts_after = end < len(text) and _in_word(text[end]) and _in_word(part[-1])
        if not (cuts_before or cuts_after):
            return found
        position = found + 1
    return None


def _in_word(character: str) -> bool:
    return character.isalnum()
