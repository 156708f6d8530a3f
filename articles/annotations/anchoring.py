"""Text selectors over an article body's plain text, and re-anchoring them after an edit.

Pure Python, no Django: the plain text of a body is defined here once, and the browser's
JavaScript (static/js/plain-text.js) computes the very same string. Offsets count Unicode
code points, as the W3C Web Annotation model says.

The plain text is the body's text with whitespace collapsed the way a reader sees it:
- runs of ASCII whitespace become one space; leading and trailing whitespace is dropped;
- block elements (paragraphs, headings, list items, block quotes, ...) are separated by one
  blank line ("\\n\\n"); a ``<br>`` is a "\\n", two or more in a row a blank line;
- everything else (entities, non-breaking spaces, emoji) is kept as the reader's characters.

Over that text an annotation holds a W3C selector pair (``describe``): the quoted words with some
context (TextQuoteSelector) and their offsets (TextPositionSelector). ``anchor`` finds a selector
again in the same text; ``reanchor`` and ``reanchor_all`` carry selectors across an edit, with
the diffing and mapping in ``articles.annotations.reanchoring``.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from html.parser import HTMLParser

from articles.annotations.reanchoring import (
    CONTEXT_SIZE,
    EXACT,
    FUZZY,
    FUZZY_THRESHOLD,
    MOVED,
    ORPHAN,
    ORPHANED,
    Reanchored,
    TextDiff,
    kept,
)

__all__ = [
    "BLOCK_TAGS", "CONTEXT_SIZE", "EXACT", "FUZZY", "FUZZY_THRESHOLD", "HIDDEN_TAGS", "MOVED",
    "ORPHANED", "VOID_TAGS", "WHITESPACE", "EndTag", "Reanchored", "StartTag", "Text", "anchor",
    "describe", "occurrences", "parse", "plain_text", "reanchor", "reanchor_all",
]  # fmt: skip

BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "dd", "div", "dl", "dt", "figcaption",
        "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main",
        "nav", "ol", "p", "pre", "section", "table", "tbody", "td", "tfoot", "th", "thead",
        "tr", "ul",
    }
)  # fmt: skip
VOID_TAGS = frozenset({"area", "br", "col", "embed", "hr", "img", "input", "source", "wbr"})
HIDDEN_TAGS = frozenset({"script", "style", "template"})
WHITESPACE = frozenset(" \t\n\r\f")


@dataclass(frozen=True)
class StartTag:
    tag: str
    attrs: tuple[tuple[str, str | None], ...]


@dataclass(frozen=True)
class EndTag:
    tag: str


@dataclass(frozen=True)
class Text:
    """A run of the body's text; ``offsets[i]`` is where ``data[i]`` stands in the plain text.

    A kept character maps to its own index. Collapsed or dropped whitespace maps to the index
    the collapsed space takes (or would take), so that a span boundary never swallows it.
    """

    data: str
    offsets: tuple[int, ...]


class _Projector:
    """The state machine that turns text and block boundaries into the plain text."""

    def __init__(self):
        self.chars: list[str] = []
        self._pending_space = False
        self._pending_breaks = 0

    def block_boundary(self):
        self._pending_breaks = 2

    def line_break(self):
        # Each <br> is a line of its own, as a reader sees it; no more than a blank line
        # between two runs of text, which is also what a block boundary gives.
        self._pending_breaks = min(self._pending_breaks + 1, 2)

    def text(self, data: str) -> tuple[int, ...]:
        offsets = []
        for char in data:
            if char in WHITESPACE:
                self._pending_space = True
                offsets.append(len(self.chars))
                continue
            if self.chars:
                if self._pending_breaks:
                    self.chars.extend("\n" * self._pending_breaks)
                elif self._pending_space:
                    self.chars.append(" ")
            self._pending_space = False
            self._pending_breaks = 0
            offsets.append(len(self.chars))
            self.chars.append(char)
        return tuple(offsets)


class _EventParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.events: list[StartTag | EndTag | Text] = []
        self.projector = _Projector()
        self._hidden_depth = 0

    def handle_starttag(self, tag, attrs):
        self._open(tag, attrs)
        if tag in VOID_TAGS:
            self._close(tag)

    def handle_startendtag(self, tag, attrs):
        self._open(tag, attrs)
        self._close(tag)

    def handle_endtag(self, tag):
        if tag not in VOID_TAGS:
            self._close(tag)

    def handle_data(self, data):
        if self._hidden_depth:
            return
        self.events.append(Text(data, self.projector.text(data)))

    def _open(self, tag, attrs):
        if tag in HIDDEN_TAGS:
            self._hidden_depth += 1
            return
        if self._hidden_depth:
            return
        if tag in BLOCK_TAGS:
            self.projector.block_boundary()
        elif tag == "br":
            self.projector.line_break()
        self.events.append(StartTag(tag, tuple(attrs)))

    def _close(self, tag):
        if tag in HIDDEN_TAGS:
            self._hidden_depth = max(0, self._hidden_depth - 1)
            return
        if self._hidden_depth:
            return
        if tag in BLOCK_TAGS:
            self.projector.block_boundary()
        self.events.append(EndTag(tag))


def parse(body_html: str) -> tuple[list[StartTag | EndTag | Text], str]:
    """Parse a body into its events (tags and text runs with plain-text offsets) and its plain text.

    ``rendering`` walks these events to wrap spans of the plain text in the original markup.
    """
    parser = _EventParser()
    parser.feed(body_html or "")
    parser.close()
    return parser.events, "".join(parser.projector.chars)


def plain_text(body_html: str) -> str:
    """The one definition of a body's plain text, over which all selectors are offsets."""
    return parse(body_html)[1]


def describe(text: str, start: int, end: int) -> dict:
    """The selector pair for ``text[start:end]``: the quote with its context, and its offsets.

    Both are kept because each repairs the other: offsets are cheap and exact while the text is
    unchanged, the quote and its context find the words again when offsets have gone stale.
    """
    if not (isinstance(start, int) and isinstance(end, int)):
        raise ValueError(f"A span needs integer offsets, not {start!r} and {end!r}.")
    if not 0 <= start < end <= len(text):
        raise ValueError(
            f"The span {start}..{end} is empty or outside the text, which has {len(text)} "
            "characters; a selector needs at least one character of it."
        )
    return {
        "exact": text[start:end],
        "prefix": text[max(0, start - CONTEXT_SIZE) : start],
        "suffix": text[end : end + CONTEXT_SIZE],
        "start": start,
        "end": end,
    }


def occurrences(text: str, words: str) -> list[int]:
    """Every offset at which ``words`` starts in ``text``: where a typed quote could be."""
    found, at = [], text.find(words)
    while at != -1:
        found.append(at)
        at = text.find(words, at + 1)
    return found


def anchor(text: str, selector: Mapping) -> tuple[int, int] | None:
    """Find a selector's span in the text it was made on, or None if its quote is not there.

    The offsets are trusted when they still hold the quote. Otherwise each occurrence of the
    quote is scored by how much of the stored prefix and suffix surround it, ties going to the
    one nearest the old offset. Nothing approximate is ever returned: a quote that does not occur
    word for word is not found.
    """
    exact = _exact(selector)
    start, end = selector.get("start"), selector.get("end")
    if _holds(text, exact, start, end):
        return start, end
    prefix, suffix = selector.get("prefix") or "", selector.get("suffix") or ""
    near = start if isinstance(start, int) else 0
    best, best_rank = None, None
    position = text.find(exact)
    while position >= 0:
        context = _common_tail_size(prefix, text[max(0, position - len(prefix)) : position])
        after = position + len(exact)
        context += _common_head_size(suffix, text[after : after + len(suffix)])
        rank = (-context, abs(position - near))
        if best_rank is None or rank < best_rank:
            best, best_rank = position, rank
        position = text.find(exact, position + 1)
    return None if best is None else (best, best + len(exact))


def reanchor(old_text: str, new_text: str, selector: Mapping) -> Reanchored:
    """Carry one selector made on ``old_text`` over to ``new_text``; see ``reanchor_all``."""
    return reanchor_all(old_text, new_text, [selector])[0]


def reanchor_all(old_text: str, new_text: str, selectors: Iterable[Mapping]) -> list[Reanchored]:
    """Carry every selector made on ``old_text`` over to ``new_text`` after one save.

    The texts are diffed once and each span is mapped through the diff, because the server
    knows both versions: mapping tells which occurrence of repeated words a span was, where
    searching the new text could only guess. Status, per selector:

    - "exact" or "moved": the edit did not touch the span's text, now at the same or at shifted
      offsets. Insertions right at a span's start or end stay outside it. "moved" also when the
      span's words were cut and pasted elsewhere (a paragraph moved, two swapped, a sentence
      moved) and stand whole there with their sentence or ``CONTEXT_SIZE`` characters of
      context each side, in one place only: never on other words that merely read the same.
    - "fuzzy": the edit changed part of the span; it covers the edited text, which is still at
      least ``FUZZY_THRESHOLD`` similar to the quote.
    - "orphaned": the span's text was deleted or rewritten beyond recognition.

    A selector that does not hold in ``old_text`` is first found there by its quote and context;
    failing that, its exact quote is looked for in ``new_text`` (it may have been made on a
    newer text than the one at hand), and the selector is orphaned if that fails too.
    """
    diff = TextDiff(old_text, new_text)
    results = []
    for selector in selectors:
        recorded = (selector.get("start"), selector.get("end"))
        span = anchor(old_text, selector)
        if span is not None:
            results.append(diff.map_span(*span, recorded))
            continue
        span = anchor(new_text, selector)
        results.append(ORPHAN if span is None else kept(*span, recorded))
    return results


def _exact(selector: Mapping) -> str:
    exact = selector.get("exact")
    if not isinstance(exact, str) or not exact:
        raise ValueError(f"A selector needs a non-empty quote under 'exact', not {exact!r}.")
    return exact


def _holds(text: str, exact: str, start, end) -> bool:
    # Offsets count only when they agree with the quote's length: a selector whose parts
    # disagree was not made by describe, and its offsets are not to be trusted.
    return (
        isinstance(start, int)
        and isinstance(end, int)
        and start >= 0
        and end - start == len(exact)
        and text[start:end] == exact
    )


def _common_tail_size(a: str, b: str) -> int:
    size = 0
    while size < min(len(a), len(b)) and a[-1 - size] == b[-1 - size]:
        size += 1
    return size


def _common_head_size(a: str, b: str) -> int:
    size = 0
    while size < min(len(a), len(b)) and a[size] == b[size]:
        size += 1
    return size
