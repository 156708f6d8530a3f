"""Rendering an article body with its annotations highlighted.

Annotations are spans of the body's plain text (see ``anchoring``), so they know nothing of the
markup. Here we walk the body's parse events and wrap each span's characters in a ``<span>`` or
``<a>``, reproducing the original markup around them. Pure Python, no Django, so the reader's
page, the editor's preview and the tests all share one renderer.

A span may cross inline and block boundaries and overlap other spans; it is then written as
several fragments so that the output stays well-formed. Our wrappers are closed before every
original tag (except inline void ones like ``<br>``) and reopened lazily, before the next
non-whitespace character that needs them, so whitespace alone never opens a wrapper (and never
lands between block elements). Comments and hidden elements (script, style) are not written.

A footnote marker follows the span's last character, or the closing quotation marks that
directly follow its words in the text: a quote annotated without its marks reads
“…country.”¹, not “…country.¹”.
"""

import re
from bisect import bisect_left, insort
from collections.abc import Iterable
from dataclasses import dataclass
from html import escape

from articles.annotations.anchoring import (
    BLOCK_TAGS,
    VOID_TAGS,
    WHITESPACE,
    EndTag,
    StartTag,
    Text,
    parse,
)

NAME_RE = re.compile(r"[a-z0-9-]+")
_WHITESPACE_CHARS = "".join(WHITESPACE)
# Closing quotation marks right after a span's words, with any punctuation inside them
# (“inhumane,”): its footnote marker goes after them. A ’ or ' before a letter or digit is an
# apostrophe (Foote’s), not a closing mark.
CLOSING_MARKS_RE = re.compile(r"[.,;:!?…]*(?:[”»›\"]|[’'](?!\w))+")


@dataclass(frozen=True)
class Span:
    """A highlighted stretch of the plain text, and how it is presented."""

    start: int  # plain-text offsets, end exclusive
    end: int
    kind: str  # e.g. "quote", "paraphrase", "mention", "claim", "note"
    href: str = ""  # link target (speaker page, person page); empty = no link
    title: str = ""  # accessible description shown on hover
    element_id: str = ""  # id put on the first fragment of the span, e.g. "quote-1"
    ref_label: str = ""  # optional footnote marker written after the last fragment, e.g. "1"
    # (or after the closing quotation marks that directly follow the span in the text)
    ref_href: str = ""  # where that marker links, e.g. "#source-1"
    data: tuple[tuple[str, str], ...] = ()  # extra data-* attributes


def render_body(body_html: str, spans: Iterable[Span]) -> str:
    """Return ``body_html`` with every span's text wrapped, the markup otherwise unchanged.

    Spans that are empty or fall outside the plain text are skipped, so an orphaned annotation
    just loses its highlight instead of breaking the page. An invalid ``kind`` or data name
    raises ``ValueError``, because they become class and attribute names.
    """
    spans = list(spans)
    for span in spans:
        _validate(span)
    events, plain = parse(body_html)
    return _Renderer(spans, plain).render(events)


def _validate(span: Span) -> None:
    if not NAME_RE.fullmatch(span.kind):
        raise ValueError(f"invalid span kind {span.kind!r}: use [a-z0-9-]+")
    for name, _value in span.data:
        if not NAME_RE.fullmatch(name):
            raise ValueError(f"invalid data attribute name {name!r}: use [a-z0-9-]+")


def _marker_at(plain: str, span: Span, last_char: int) -> int:
    """The plain offset a span's footnote marker follows: its last character, or the closing
    quotation marks (and punctuation within them) that directly follow its words."""
    marks = CLOSING_MARKS_RE.match(plain, span.end)
    return span.end + len(marks.group()) - 1 if marks else last_char


def _start_tag(tag: str, attrs: Iterable[tuple[str, str | None]]) -> str:
    parts = [tag]
    for name, value in attrs:
        name = escape(name, quote=True)
        parts.append(name if value is None else f'{name}="{escape(value, quote=True)}"')
    return "<" + " ".join(parts) + ">"


class _Renderer:
    """One pass over the parse events; state is the set of active spans and open wrappers.

    Spans are identified by their rank in nesting order (earlier start, then longer, then input
    order), so both ``_active`` (spans covering the current offset) and ``_stack`` (wrappers
    open in the output) are ascending lists of ranks, and outer spans always wrap inner ones.
    """

    def __init__(self, spans: list[Span], plain: str):
        kept = []
        for index, span in enumerate(spans):
            if not 0 <= span.start < span.end <= len(plain):
                continue
            text = plain[span.start : span.end]
            last = len(text.rstrip(_WHITESPACE_CHARS))
            if last:  # whitespace-only spans could never open a wrapper
                kept.append((span.start, -span.end, index, span, span.start + last - 1))
        kept.sort(key=lambda item: item[:3])
        self._spans = [item[3] for item in kept]
        self._last_char = [item[4] for item in kept]  # offset of each span's last non-space
        self._next = 0  # rank of the next span to start
        self._active: list[int] = []
        self._stack: list[tuple[int, bool]] = []  # (rank, written as <a>)
        self._boundary = self._spans[0].start if self._spans else float("inf")
        self._opened: set[int] = set()  # ranks that already have a fragment (for the id)
        self._pending_refs: list[Span] = []  # markers waiting for an enclosing link to close
        # Where each span's marker goes: after this plain offset is written (see ``_marker_at``).
        self._marker_at = [
            _marker_at(plain, span, last)
            for span, last in zip(self._spans, self._last_char, strict=True)
        ]
        self._deferred_refs: list[tuple[int, Span]] = []  # markers waiting for closing marks
        self._body_links = 0
        self._wrapper_links = 0
        self._last_emitted = -1  # plain offset of the last non-whitespace character written
        self._out: list[str] = []

    def render(self, events) -> str:
        for event in events:
            if isinstance(event, Text):
                self._text(event.data, event.offsets)
            elif isinstance(event, StartTag):
                self._release_refs(self._last_emitted)
                if event.tag in BLOCK_TAGS or event.tag not in VOID_TAGS:
                    self._close_to(0)  # an inline void tag (<br>) can sit inside a wrapper
                self._out.append(_start_tag(event.tag, event.attrs))
                if event.tag == "a":
                    self._body_links += 1
            elif isinstance(event, EndTag) and event.tag not in VOID_TAGS:
                self._release_refs(self._last_emitted)
                self._close_to(0)
                self._out.append(f"</{event.tag}>")
                if event.tag == "a":
                    self._body_links = max(0, self._body_links - 1)
                    self._flush_refs()
        self._close_to(0)
        self._body_links = 0  # a marker still waiting means the body left an <a> unclosed
        self._release_refs(float("inf"))
        self._flush_refs()
        return "".join(self._out)

    def _text(self, data: str, offsets: tuple[int, ...]) -> None:
        """Write a text run in chunks; between span boundaries the state cannot change."""
        i = 0
        while i < len(data):
            self._release_refs(self._last_emitted)
            if offsets[i] >= self._boundary:
                self._advance(offsets[i])
            self._close_to(self._common_prefix())
            if data[i] not in WHITESPACE:
                for rank in self._active[len(self._stack) :]:
                    self._open(rank)
            if len(self._stack) == len(self._active):
                j = bisect_left(offsets, self._boundary, i + 1)
            else:  # a wrapper is still to open, at the next non-whitespace character
                j = i + 1
            chunk = data[i:j]
            self._out.append(escape(chunk, quote=False))
            visible = len(chunk.rstrip(_WHITESPACE_CHARS))
            if visible:
                self._last_emitted = offsets[i + visible - 1]
            i = j

    def _advance(self, offset: int) -> None:
        """Bring the active spans up to ``offset``: add those started, drop those ended."""
        spans = self._spans
        while self._next < len(spans) and spans[self._next].start <= offset:
            insort(self._active, self._next)
            self._next += 1
        self._active = [rank for rank in self._active if spans[rank].end > offset]
        ends = [spans[rank].end for rank in self._active]
        if self._next < len(spans):
            ends.append(spans[self._next].start)
        ends.extend(at + 1 for at, _span in self._deferred_refs)  # a marker to write there
        self._boundary = min(ends, default=float("inf"))

    def _common_prefix(self) -> int:
        count = 0
        for (rank, _link), active in zip(self._stack, self._active, strict=False):
            if rank != active:
                break
            count += 1
        return count

    def _open(self, rank: int) -> None:
        span = self._spans[rank]
        link = bool(span.href) and not self._body_links and not self._wrapper_links
        attrs = [("class", f"annotation annotation--{span.kind}")]
        if link:
            attrs.append(("href", span.href))
        if span.title:
            attrs.append(("title", span.title))
        if span.element_id and rank not in self._opened:
            attrs.append(("id", span.element_id))
        attrs.extend((f"data-{name}", value) for name, value in span.data)
        self._opened.add(rank)
        self._out.append(_start_tag("a" if link else "span", attrs))
        self._stack.append((rank, link))
        self._wrapper_links += link

    def _close_to(self, depth: int) -> None:
        """Close wrappers down to ``depth``, writing footnote markers after final fragments."""
        while len(self._stack) > depth:
            rank, link = self._stack.pop()
            self._out.append("</a>" if link else "</span>")
            self._wrapper_links -= link
            span = self._spans[rank]
            if span.ref_label and self._last_emitted >= self._last_char[rank]:
                at = self._marker_at[rank]
                if at > self._last_emitted:  # after closing marks not yet written
                    self._deferred_refs.append((at, span))
                    self._boundary = min(self._boundary, at + 1)
                else:
                    self._pending_refs.append(span)
            self._flush_refs()

    def _release_refs(self, written) -> None:
        """Write the deferred markers whose closing marks are written (up to ``written``)."""
        if not self._deferred_refs:
            return
        due = [span for at, span in self._deferred_refs if at <= written]
        if due:
            self._deferred_refs = [(at, s) for at, s in self._deferred_refs if at > written]
            self._pending_refs.extend(due)
            self._flush_refs()

    def _flush_refs(self) -> None:
        """Write waiting footnote markers, unless that would nest a link inside a link."""
        if self._body_links or self._wrapper_links:
            return
        for span in self._pending_refs:
            label = escape(span.ref_label, quote=False)
            if span.ref_href:
                label = f'<a href="{escape(span.ref_href, quote=True)}">{label}</a>'
            self._out.append(f'<sup class="annotation-ref">{label}</sup>')
        self._pending_refs.clear()
