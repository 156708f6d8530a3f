"""The text cut into what the suggester reasons about: words, sentences, paragraphs, quotations.

Offsets are code points into the text given, as everywhere in the suggester.
"""

import re
from dataclasses import dataclass

from articles.attribution.lexicon import ABBREVIATIONS

DOUBLE_OPEN, DOUBLE_CLOSE = "“„«", "”»"
SINGLE_OPEN, SINGLE_CLOSE = "‘‹", "’›"
CLOSERS = "\"”’'»›)]"

WORD = re.compile(r"\w(?:[\w’'.&-]*\w)?\.?|[^\w\s]")


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    text: str

    @property
    def lower(self):
        return self.text.lower().rstrip(".")

    @property
    def is_word(self):
        return self.text[0].isalnum()

    @property
    def is_capitalised(self):
        return self.text[0].isupper()


@dataclass(frozen=True)
class Quotation:
    """Words between quotation marks, the marks included; ``paragraphs`` > 1 when it runs on."""

    start: int
    end: int
    closed: bool
    paragraphs: int = 1

    def words(self, text):
        return len(text[self.start : self.end].split())


def tokens(text: str) -> list[Token]:
    """The words and punctuation of ``text``; a final full stop stays with an abbreviation."""
    found = []
    for match in WORD.finditer(text):
        start, end, word = match.start(), match.end(), match.group()
        if word.endswith(".") and len(word) > 1 and not _keeps_stop(word):
            found.append(Token(start, end - 1, word[:-1]))
            found.append(Token(end - 1, end, "."))
        else:
            found.append(Token(start, end, word))
    return found


def _keeps_stop(word):
    bare = word[:-1].lower()
    return bare in ABBREVIATIONS or "." in bare or (len(bare) == 1 and bare.isalpha())


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each run of text between line breaks."""
    return [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text) if m.group().strip()]


def sentences(text: str, toks: list[Token]) -> list[tuple[int, int]]:
    """(first token, last token + 1) of each sentence; a line break always ends one."""
    bounds, begin = [], 0
    for i, tok in enumerate(toks):
        last = i + 1 == len(toks)
        if not last and "\n" in text[tok.end : toks[i + 1].start]:
            bounds.append((begin, i + 1))
            begin = i + 1
            continue
        if tok.text not in ".?!" or last:
            continue
        j = i + 1
        while j < len(toks) and toks[j].text in CLOSERS and toks[j].start == toks[j - 1].end:
            j += 1
        if j < len(toks) and "\n" not in text[toks[j - 1].end : toks[j].start]:
            following = toks[j].text
            if not (following[0].isupper() or following[0].isdigit() or following in "“‘\"'"):
                continue
        bounds.append((begin, j))
        begin = j
    if begin < len(toks):
        bounds.append((begin, len(toks)))
    return bounds


def _is_opening(text, at, mark):
    before = text[at - 1] if at else " "
    after = text[at + 1] if at + 1 < len(text) else " "
    if mark in DOUBLE_OPEN or mark in SINGLE_OPEN:
        return not after.isspace() or before.isspace()
    if mark in DOUBLE_CLOSE:
        return before.isspace() and not after.isspace() and after not in ".,;:"
    # A straight mark opens where a word could begin after it.
    return (before.isspace() or before in "([{—–-/") and not after.isspace()


def _marks(text, start, end, single):
    """(offset, opens?) of each quotation mark of one kind in text[start:end]."""
    found = []
    for at in range(start, end):
        mark = text[at]
        if single:
            if mark not in "‘’'‹›":
                continue
            before = text[at - 1] if at else " "
            after = text[at + 1] if at + 1 < len(text) else " "
            if before.isalnum() and after.isalnum():
                continue  # an apostrophe: don't, Foote’s
            opens = _is_opening(text, at, mark)
            if not opens and before.isspace():
                continue
            if opens and not (after.isalnum() or after in '“"$…'):
                continue
            found.append((at, opens))
        elif mark in '"“”„«»':
            found.append((at, _is_opening(text, at, mark)))
    return found


def _pair(marks, end):
    """Quotations from marks: each opening to the next closing; an unclosed one runs to ``end``."""
    spans, opened = [], None
    for at, opens in marks:
        if opens and opened is None:
            opened = at
        elif not opens and opened is not None:
            spans.append((opened, at + 1, True))
            opened = None
        elif opens and opened is not None:
            # Two openings in a row: the first was never closed; keep the second.
            opened = at
    if opened is not None:
        spans.append((opened, end, False))
    return spans


def quotations(text: str) -> list[Quotation]:
    """The quotations of ``text``, double marks first, single marks outside them.

    A quotation that runs over paragraphs, as copy writes it (an opening mark at each
    paragraph, one closing mark at the end), is one quotation.
    """
    found = []
    for start, end in paragraphs(text):
        doubles = _pair(_marks(text, start, end, single=False), end)
        inside = [(a, b) for a, b, _ in doubles]
        singles = [
            span
            for span in _pair(_marks(text, start, end, single=True), end)
            if span[2] and not any(a <= span[0] < b for a, b in inside)
        ]
        for a, b, closed in sorted(doubles + singles):
            found.append(Quotation(a, b, closed))
    return _join_runs(text, found)


# '..." she said': a quotation followed by its own cue starts a new quote, not a run-on.
OWN_CUE = re.compile(r"\s*,?\s*(?:\S+\s+){0,4}?(?:said|says|added|asked|told|wrote)\b")


def _join_runs(text, found):
    joined = []
    for quote in found:
        previous = joined[-1] if joined else None
        if (
            previous is not None
            and not previous.closed
            and text[previous.end : quote.start].strip() == ""
            and "\n" in text[previous.end : quote.start]
            and not (quote.closed and OWN_CUE.match(text, quote.end))
        ):
            joined[-1] = Quotation(previous.start, quote.end, quote.closed, previous.paragraphs + 1)
        else:
            joined.append(quote)
    return joined
