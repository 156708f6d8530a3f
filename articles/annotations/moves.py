"""Finding text an edit moved: whole paragraphs, then sentences, cut from one place and pasted
word for word in another. Pure Python, no Django.

A diff aligns text in order only, so to it a moved paragraph is text deleted in one place and
other text inserted in another. ``moved_text`` finds such text in both versions, and ``hidden``
masks it so that the diff (``reanchoring``) never aligns its words with other words.
"""

import re
from difflib import SequenceMatcher

# Moved text is hidden from the diff behind characters found in no text and different in the
# two (Unicode noncharacters, reserved for a program's internal use): the diff sees it deleted
# from its old place and inserted at its new one, and aligns none of its words with others.
OLD_MASK, NEW_MASK = "\ufdd0", "\ufdd1"

PARAGRAPH_BREAK = "\n\n"
_PARAGRAPH_TEXT = re.compile(r"[^\n]+(?:\n[^\n]+)*")  # lines joined by single line breaks
# Where a sentence of a paragraph ends and the next begins: a line break, or the spaces after a
# full stop, question or exclamation mark and the closing quotes or brackets that follow it
# ("U.S. policy" is cut too: harmlessly, the pieces only make smaller units). The group that
# matched is the gap between the two sentences.
_CLOSERS = "”’\"')\\]»"
SENTENCE_BREAK = re.compile(rf"[.!?][{_CLOSERS}]{{0,2}}([^\S\n]+)|(\n)")


def moved_text(old: str, new: str) -> tuple[list, list]:
    """The ranges of ``old`` and of ``new`` holding text the edit moved, as (start, end) pairs.

    Moved text is a whole paragraph, or a whole sentence of a paragraph changed otherwise, that
    the edit removed in one place and inserted word for word in another. Paragraphs and
    sentences are compared in order, as a diff would, from the paragraph where the texts begin
    to differ to the one where they stop differing.
    """
    if any(mask in text for mask in (OLD_MASK, NEW_MASK) for text in (old, new)):
        return [], []  # it could not be hidden: leave the diff as it is
    prefix = common_prefix_size(old, new)
    suffix = common_suffix_size(old, new, min(len(old), len(new)) - prefix)
    before = old.rfind(PARAGRAPH_BREAK, 0, prefix)
    first = 0 if before < 0 else before + len(PARAGRAPH_BREAK)  # the change's first paragraph
    paragraphs = _not_in_place(
        old,
        new,
        _paragraph_spans(old, first, len(old) - suffix),
        _paragraph_spans(new, first, len(new) - suffix),
        prefix,
        suffix,
    )
    old_moved, new_moved, old_changed, new_changed = _cut_and_pasted(old, new, *paragraphs)
    sentences = _not_in_place(
        old,
        new,
        [sentence for span in old_changed for sentence in _sentences(old, *span)],
        [sentence for span in new_changed for sentence in _sentences(new, *span)],
        prefix,
        suffix,
    )
    old_more, new_more, _, _ = _cut_and_pasted(old, new, *sentences)
    return sorted(old_moved + old_more), sorted(new_moved + new_more)


def _not_in_place(old: str, new: str, old_spans, new_spans, prefix: int, suffix: int) -> tuple:
    # Leave out the units standing at the same place in both texts inside their common start
    # (at the same offsets) or their common end (as far from the end): the same text, unmoved.
    def place(span, size):
        start, end = span
        if end <= prefix:
            return start, end
        return (start - size, end - size) if start >= size - suffix else None

    old_places = [place(span, len(old)) for span in old_spans]
    new_places = [place(span, len(new)) for span in new_spans]
    unmoved = (set(old_places) & set(new_places)) - {None}
    return (
        [span for span, at in zip(old_spans, old_places, strict=True) if at not in unmoved],
        [span for span, at in zip(new_spans, new_places, strict=True) if at not in unmoved],
    )


def _cut_and_pasted(old: str, new: str, old_spans: list, new_spans: list) -> tuple:
    # Align the units (paragraphs or sentences) in order; of those left over on both sides, the
    # ones whose words are on the other side too were moved, the others changed. Every copy of
    # a moved unit counts as moved: which copy went where is for the spans to find out.
    old_units = [old[start:end] for start, end in old_spans]
    new_units = [new[start:end] for start, end in new_spans]
    matcher = SequenceMatcher(None, old_units, new_units, autojunk=False)
    removed, inserted = [], []
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        if tag != "equal":
            removed.extend(range(a1, a2))
            inserted.extend(range(b1, b2))
    both = {old_units[k] for k in removed} & {new_units[k] for k in inserted}
    return (
        [old_spans[k] for k in removed if old_units[k] in both],
        [new_spans[k] for k in inserted if new_units[k] in both],
        [old_spans[k] for k in removed if old_units[k] not in both],
        [new_spans[k] for k in inserted if new_units[k] not in both],
    )


def _paragraph_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    # The paragraphs of text from ``start`` (where one begins) to the end of the one at ``end``.
    stop = text.find(PARAGRAPH_BREAK, end)
    tokens = _PARAGRAPH_TEXT.finditer(text, start, len(text) if stop < 0 else stop)
    return [token.span() for token in tokens]


def _sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    # The sentences of the paragraph text[start:end].
    sentences, at = [], start
    for found in SENTENCE_BREAK.finditer(text, start, end):
        sentences.append((at, found.start(found.lastindex)))
        at = found.end()
    sentences.append((at, end))
    return [(first, last) for first, last in sentences if first < last]


def hidden(text: str, spans: list, mask: str) -> str:
    # The text with every character of the spans replaced by the mask: same length, same offsets.
    pieces, at = [], 0
    for start, end in spans:
        pieces += (text[at:start], mask * (end - start))
        at = end
    pieces.append(text[at:])
    return "".join(pieces)


def common_prefix_size(a: str, b: str) -> int:
    # Binary search over slice comparisons: each comparison runs in C, a character loop would
    # cost milliseconds on a long article.
    low, high = 0, min(len(a), len(b))
    while low < high:
        middle = (low + high + 1) // 2
        if a[:middle] == b[:middle]:
            low = middle
        else:
            high = middle - 1
    return low


def common_suffix_size(a: str, b: str, limit: int) -> int:
    low, high = 0, max(0, limit)
    while low < high:
        middle = (low + high + 1) // 2
        if a[len(a) - middle :] == b[len(b) - middle :]:
            low = middle
        else:
            high = middle - 1
    return low
