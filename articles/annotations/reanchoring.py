"""Carrying text spans across an edit of the plain text: one diff, every span mapped through it.

Pure Python, no Django. ``annotations.anchoring`` re-exports what callers need; this module
only knows about two plain texts and spans of code-point offsets in the older one.

The server holds both versions of a body, so rather than searching the new text for each quote
it diffs the two texts once and maps every span through the diff. A diff is ambiguous about
where an edit lies in repetitive text (inserting "very " before "very good" may be seen as an
insertion after the first "very"), so insertions and deletions are slid to natural boundaries
(paragraphs, sentences, words), and a span that one of them still seems to cut is treated as
untouched when sliding it out of the span gives the same text.

A diff aligns text in order only: a paragraph cut and pasted elsewhere, two paragraphs swapped,
a sentence moved to the end of its paragraph, all look to it like text deleted in one place and
other text inserted in another. So the whole paragraphs, then the whole sentences, that the edit
removed somewhere and inserted word for word elsewhere are found first and hidden from the
diff, which then never aligns their words with other words. A span in them, like any span the
diff could not keep whole, follows its words if they stand whole in the new text with their
sentence (or CONTEXT_SIZE characters each side) around them, in one place only, where the diff
has not put other words of the old text. Anywhere else it would be guessing, and a quote pinned
to another "Haitian" is worse than an orphan an editor re-attaches.
"""

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from difflib import SequenceMatcher
from itertools import accumulate

from articles.annotations.moves import (
    NEW_MASK,
    OLD_MASK,
    PARAGRAPH_BREAK,
    SENTENCE_BREAK,
    common_prefix_size,
    common_suffix_size,
    hidden,
    moved_text,
)

EXACT = "exact"
MOVED = "moved"
FUZZY = "fuzzy"
ORPHANED = "orphaned"

# A span whose own text was edited keeps following that text while at least three quarters of
# it survives (difflib's ratio, 2 * kept / (old length + new length)). A typo fix or one changed
# word in a sentence stays far above it (0.9 and more); a rewritten clause, or a one-word span
# replaced by another word ("inhumane" -> "cruel" is about 0.3), falls well below and is orphaned
# for an editor to look at, rather than silently pinned to words it no longer describes.
FUZZY_THRESHOLD = 0.75

# Characters are diffed only inside small changed regions, after whole paragraphs and then words
# have been aligned: there they turn "issued" -> "issues" into one changed letter. On big regions
# a character diff is quadratic and aligns noise (every "e" with some other "e").
CHAR_DIFF_LIMIT = 200
# ... and only between words at least half alike: "issued" -> "issues" becomes one changed
# letter, while "inhumane" -> "cruel" stays one replaced word rather than a scatter of letters
# that happen to match ("u", "e").
CHAR_ALIGN_MIN = 0.5

# Code points of context kept on each side of a quote: enough to tell apart the occurrences of
# a phrase repeated in a long article, little enough to store with every annotation. Moved words
# are followed only with this much of their context around them, or their whole sentence.
CONTEXT_SIZE = 32

_PARAGRAPHS = re.compile(r"(?<=\n\n)")  # split after each break: a token is "paragraph\n\n"
# a word or one mark, with the space after it; hidden text is one word
_WORDS = re.compile(r"[\ufdd0\ufdd1]+\s*|\w+\s*|[^\w\s]\s*|\s+")
_PARAGRAPH_LEVEL, _WORD_LEVEL, _CHAR_LEVEL = range(3)


@dataclass(frozen=True)
class Reanchored:
    """Where a span stands in the new text; ``start`` and ``end`` are None when it is orphaned."""

    start: int | None
    end: int | None
    status: str


ORPHAN = Reanchored(None, None, ORPHANED)


def kept(start: int, end: int, recorded: tuple[int | None, int | None]) -> Reanchored:
    """A span whose text is intact: "exact" where it was recorded, "moved" anywhere else."""
    return Reanchored(start, end, EXACT if (start, end) == tuple(recorded) else MOVED)


class TextDiff:
    """The edit from ``old`` to ``new`` as sorted, disjoint changed regions ("hunks").

    Hunk ``k`` replaces ``old[i1[k]:i2[k]]`` by ``new[j1[k]:j2[k]]``; an insertion has
    ``i1 == i2``. Between two hunks lies a non-empty run of unchanged text, so a span touches no
    hunk exactly when one unchanged run contains it, and bisecting over ``i1``/``i2`` finds the
    hunks around any span in logarithmic time. The hunks are those of the texts with moved text
    hidden (``hidden_old``, ``hidden_new``): moved text is always inside a hunk.
    """

    def __init__(self, old: str, new: str):
        self.old = old
        self.new = new
        moved_old, moved_new = moved_text(old, new)
        self.has_moves = bool(moved_old or moved_new)
        self.hidden_old = hidden(old, moved_old, OLD_MASK)
        self.hidden_new = hidden(new, moved_new, NEW_MASK)
        hunks = _merged(_changed_regions(self.hidden_old, self.hidden_new))
        self.i1 = [hunk[0] for hunk in hunks]
        self.i2 = [hunk[1] for hunk in hunks]
        self.j1 = [hunk[2] for hunk in hunks]
        self.j2 = [hunk[3] for hunk in hunks]
        # shift[k]: how far the edits of hunks 0..k-1 move the text that follows them
        growth = ((j2 - j1) - (i2 - i1) for i1, i2, j1, j2 in hunks)
        self.shift = list(accumulate(growth, initial=0))

    def map_span(
        self, start: int, end: int, recorded: tuple[int | None, int | None] = (None, None)
    ) -> Reanchored:
        """Follow ``old[start:end]`` into the new text.

        Untouched text keeps its words at shifted offsets. Text the edit reached follows its
        words where they now stand whole, if they were moved (``_moved_to``); failing that it
        follows the edited words and stays "fuzzy" while similar enough, else is orphaned. A
        span with some of its words moved away, or whose edited words would take in text moved
        in from elsewhere, is orphaned: it is no longer one stretch of its own words.
        ``recorded`` are the offsets the selector holds, which decide "exact" versus "moved".
        """
        aligned = self._aligned(start, end, recorded)
        if aligned.status in (EXACT, MOVED):
            return aligned
        moved = self._moved_to(start, end)
        if moved is not None:
            return kept(moved, moved + end - start, recorded)
        if aligned.status == FUZZY and not self._meets_moved_text(start, end, aligned):
            return aligned
        return ORPHAN

    def _moved_to(self, start: int, end: int) -> int | None:
        """Where the words ``old[start:end]`` stand whole in the new text, if one place only.

        They count as found where they come with their context: the old text around them up to
        the boundaries of their sentence (of their paragraphs or lines, for a span over a
        paragraph break or a line break), boundaries in the new text too, or ``CONTEXT_SIZE``
        characters on a side where that boundary lies further. A place in text the diff left
        unchanged is not theirs: it holds other words of the old text. Two places that fit are
        ambiguous: None, as when none fits.
        """
        old, new = self.old, self.new
        exact = old[start:end]
        breaks = PARAGRAPH_BREAK if PARAGRAPH_BREAK in exact else "\n" if "\n" in exact else ""
        before, after = _reach_back(old, start, breaks), _reach_on(old, end, breaks)
        context = old[start - before : end + after]
        found = None
        at = new.find(context)
        while at >= 0:
            place = at + before
            if (
                (before == CONTEXT_SIZE or _reach_back(new, at, breaks) == 0)
                and (after == CONTEXT_SIZE or _reach_on(new, at + len(context), breaks) == 0)
                and not self._unchanged(place, place + end - start)
            ):
                if found is not None:
                    return None
                found = place
            at = new.find(context, at + 1)
        return found

    def _aligned(self, start: int, end: int, recorded) -> Reanchored:
        # The span carried through the diff alone: kept, fuzzy or orphaned.
        first = bisect_right(self.i2, start)  # first hunk ending after the span starts
        stop = bisect_left(self.i1, end)  # hunks from here on start at or after its end
        if first >= stop:
            return kept(start + self.shift[first], end + self.shift[first], recorded)

        new_start, new_end = self._map_start(start), self._map_end(end)
        intact = self._intact_position(start, end, first, stop, new_start)
        if intact is not None:
            return kept(intact, intact + end - start, recorded)
        if new_end <= new_start:
            return ORPHAN
        edited = sum(min(end, self.i2[k]) - max(start, self.i1[k]) for k in range(first, stop))
        similarity = 2 * (end - start - edited) / (end - start + new_end - new_start)
        if similarity >= FUZZY_THRESHOLD:
            return Reanchored(new_start, new_end, FUZZY)
        return ORPHAN

    def _meets_moved_text(self, start: int, end: int, aligned: Reanchored) -> bool:
        # Whether some of the span's words were moved away, or the edited words it would now
        # cover take in text moved in from elsewhere.
        return self.has_moves and (
            OLD_MASK in self.hidden_old[start:end]
            or NEW_MASK in self.hidden_new[aligned.start : aligned.end]
        )

    def _unchanged(self, start: int, end: int) -> bool:
        # Whether new[start:end] lies in one run of text the diff left unchanged.
        k = bisect_right(self.j2, start)  # the first hunk ending after start
        return k == len(self.j1) or self.j1[k] >= end

    def _intact_position(self, start, end, first, stop, near):
        # Where the span's words still stand whole, if the diff only seems to have touched them.
        # Not inside text the diff found replaced by other text: the same characters at the
        # same proportion of the replacement would be a coincidence, other words.
        i1, i2, j1, j2 = self.i1[first], self.i2[first], self.j1[first], self.j2[first]
        if stop - first == 1 and i1 <= start and end <= i2 and i1 < i2 and j1 < j2:
            return None
        exact = self.hidden_old[start:end]
        if self.hidden_new[near : near + len(exact)] == exact:
            return near
        if stop - first == 1:
            return self._slid_clear(first, start, end)
        return None

    def _slid_clear(self, k: int, start: int, end: int) -> int | None:
        # In repetitive text one insertion or deletion can be placed in several equally good
        # ways: "very " typed before "very good" may be diffed as typed after the first "very".
        # If the lone hunk over the span can slide out of it, the span was not edited.
        i1, i2, j1, j2 = self.i1[k], self.i2[k], self.j1[k], self.j2[k]
        new, old = self.hidden_new, self.hidden_old
        before = start + self.shift[k] + (j2 - j1) - (i2 - i1)  # the hunk slid before the span
        after = start + self.shift[k]  # the hunk slid after the span
        if i1 == i2:  # an insertion, strictly inside the span
            left, right = i1 - start, end - i1
            if new[j1 - left : j1] == new[j2 - left : j2]:
                return before
            if new[j1 : j1 + right] == new[j2 : j2 + right]:
                return after
        elif j1 == j2:  # a deletion
            lower = self.i2[k - 1] if k else 0
            upper = self.i1[k + 1] if k + 1 < len(self.i1) else len(old)
            left, right = i2 - start, end - i1
            if i1 - left >= lower and old[i1 - left : i1] == old[i2 - left : i2]:
                return before
            if i2 + right <= upper and old[i1 : i1 + right] == old[i2 : i2 + right]:
                return after
        return None

    def _map_start(self, position: int) -> int:
        # A start goes after an insertion made right at it: text typed before a span is not
        # the annotated text.
        k = bisect_right(self.i1, position) - 1
        if k >= 0 and position < self.i2[k]:
            return self._within(k, position)
        return position + self.shift[k + 1]

    def _map_end(self, position: int) -> int:
        # An end goes before an insertion made right at it, for the same reason.
        k = bisect_right(self.i1, position - 1) - 1
        if k >= 0 and position - 1 < self.i2[k]:
            return self._within(k, position)
        return position + self.shift[k + 1]

    def _within(self, k: int, position: int) -> int:
        # Inside a rewritten region there is no exact counterpart: keep the same proportion.
        old_size, new_size = self.i2[k] - self.i1[k], self.j2[k] - self.j1[k]
        offset = position - self.i1[k]
        return self.j1[k] + (offset * new_size + old_size // 2) // old_size


def _changed_regions(old: str, new: str) -> list[tuple[int, int, int, int]]:
    """The regions where ``old`` and ``new`` differ, coarse to fine: paragraphs, words, letters.

    Only the middle between the common start and end is diffed, which keeps a small edit to a
    long article cheap. Insertions and deletions are then slid, where repeated text lets them,
    to the most natural boundary: a paragraph inserted at the top is one insertion at offset 0
    even when it begins with the same words as the paragraph that used to come first.
    """
    if old == new:
        return []
    hunks: list[tuple[int, int, int, int]] = []
    _refine(old, new, (0, len(old), 0, len(new)), _PARAGRAPH_LEVEL, hunks)
    return _merged(_slid_to_boundaries(old, new, _merged(hunks)))


def _refine(old: str, new: str, region, level: int, hunks: list) -> None:
    # Diff old[i1:i2] against new[j1:j2] at this level's tokens, once their common start and
    # end are set aside; replaced stretches go one level finer, the rest are hunks.
    i1, i2, j1, j2 = region
    prefix = common_prefix_size(old[i1:i2], new[j1:j2])
    suffix = common_suffix_size(old[i1:i2], new[j1:j2], min(i2 - i1, j2 - j1) - prefix)
    i1, j1, i2, j2 = i1 + prefix, j1 + prefix, i2 - suffix, j2 - suffix
    if i1 == i2 or j1 == j2:
        if i1 != i2 or j1 != j2:
            hunks.append((i1, i2, j1, j2))
        return
    if level == _CHAR_LEVEL:
        if max(i2 - i1, j2 - j1) > CHAR_DIFF_LIMIT:
            hunks.append((i1, i2, j1, j2))
            return
        old_tokens, new_tokens = old[i1:i2], new[j1:j2]
    elif level == _WORD_LEVEL:
        old_tokens, new_tokens = _WORDS.findall(old[i1:i2]), _WORDS.findall(new[j1:j2])
    else:
        old_tokens = [token for token in _PARAGRAPHS.split(old[i1:i2]) if token]
        new_tokens = [token for token in _PARAGRAPHS.split(new[j1:j2]) if token]
    old_keys, new_keys = old_tokens, new_tokens
    if level == _PARAGRAPH_LEVEL:
        # A paragraph is the same whether a break follows it or it ends the text.
        old_keys = [token.rstrip("\n") for token in old_tokens]
        new_keys = [token.rstrip("\n") for token in new_tokens]
    matcher = SequenceMatcher(None, old_keys, new_keys, autojunk=False)
    if level == _CHAR_LEVEL and matcher.ratio() < CHAR_ALIGN_MIN:
        hunks.append((i1, i2, j1, j2))  # a different word, not a misspelt one
        return
    old_at = list(accumulate(map(len, old_tokens), initial=i1))
    new_at = list(accumulate(map(len, new_tokens), initial=j1))
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        if tag == "equal":
            if level == _PARAGRAPH_LEVEL:
                _add_breaks_changed(
                    old_tokens[a1:a2], new_tokens[b1:b2], old_at[a1], new_at[b1], hunks
                )
            continue
        if tag != "replace" or level == _CHAR_LEVEL:
            hunks.append((old_at[a1], old_at[a2], new_at[b1], new_at[b2]))
        elif (
            level == _PARAGRAPH_LEVEL
            and a2 - a1 == b2 - b1
            and OLD_MASK not in old[old_at[a1] : old_at[a2]]
            and NEW_MASK not in new[new_at[b1] : new_at[b2]]
        ):
            # As many paragraphs on each side, none moved: most likely each was edited in place.
            for a, b in zip(range(a1, a2), range(b1, b2), strict=True):
                pair = (old_at[a], old_at[a + 1], new_at[b], new_at[b + 1])
                _refine(old, new, pair, _WORD_LEVEL, hunks)
        else:
            region = (old_at[a1], old_at[a2], new_at[b1], new_at[b2])
            _refine(old, new, region, level + 1, hunks)


def _add_breaks_changed(old_tokens, new_tokens, old_at: int, new_at: int, hunks: list) -> None:
    # Paragraphs aligned as the same may differ in the break after them (one ends the text).
    for old_token, new_token in zip(old_tokens, new_tokens, strict=True):
        if old_token != new_token:
            cut = len(old_token.rstrip("\n"))
            hunks.append(
                (old_at + cut, old_at + len(old_token), new_at + cut, new_at + len(new_token))
            )
        old_at, new_at = old_at + len(old_token), new_at + len(new_token)


def _slid_to_boundaries(old: str, new: str, hunks: list) -> list:
    # A pure insertion or deletion next to text it repeats can sit at several offsets, all
    # equally valid; the diff picks one blindly. Move each, within the unchanged text around
    # it, to where both of its ends fall on the strongest boundaries (paragraph, line, sentence,
    # word), the leftmost of equals. Replacements have a single place and stay.
    slid = []
    for k, (i1, i2, j1, j2) in enumerate(hunks):
        if i1 != i2 and j1 != j2:
            slid.append((i1, i2, j1, j2))
            continue
        text, first, last = (new, j1, j2) if i1 == i2 else (old, i1, i2)
        lowest = slid[-1][1] if slid else 0  # it may not cross the unchanged text around it
        highest = hunks[k + 1][0] if k + 1 < len(hunks) else len(old)
        left = 0
        while i1 - left > lowest and text[first - left - 1] == text[last - left - 1]:
            left += 1
        right = 0
        while i2 + right < highest and text[first + right] == text[last + right]:
            right += 1
        best = max(
            range(-left, right + 1),
            key=lambda step: (
                _boundary_strength(text, first + step) + _boundary_strength(text, last + step),
                -step,
            ),
        )
        slid.append((i1 + best, i2 + best, j1 + best, j2 + best))
    return slid


def _boundary_strength(text: str, position: int) -> int:
    # How naturally an edit can begin or end at ``position`` of ``text``.
    if position <= 0 or position >= len(text):
        return 6
    before, after = text[position - 1], text[position]
    if text.endswith(PARAGRAPH_BREAK, 0, position) or text.startswith(PARAGRAPH_BREAK, position):
        return 5
    if "\n" in (before, after):
        return 4
    if before in ".!?" and after.isspace():
        return 3
    if before.isspace() or after.isspace():
        return 2
    if not before.isalnum() or not after.isalnum():
        return 1
    return 0


def _reach_back(text: str, position: int, breaks: str) -> int:
    # How far back from ``position`` its sentence starts (its paragraph or line, with such
    # ``breaks``), at most CONTEXT_SIZE: how much context before a span must move with it.
    lowest = max(0, position - CONTEXT_SIZE - 8)
    if breaks:
        found = text.rfind(breaks, lowest, position)
        first = 0 if found < 0 else found + len(breaks)
    else:
        gaps = SENTENCE_BREAK.finditer(text, lowest, position)
        first = max((gap.end() for gap in gaps), default=0)
    return min(position - first, CONTEXT_SIZE)


def _reach_on(text: str, position: int, breaks: str) -> int:
    # How far on from ``position`` its sentence (paragraph, line) ends, at most CONTEXT_SIZE.
    highest = min(len(text), position + CONTEXT_SIZE + 8)
    if breaks:
        found = text.find(breaks, position, highest)
        last = len(text) if found < 0 else found
    else:
        gaps = SENTENCE_BREAK.finditer(text, max(0, position - 3), highest)
        ends = (gap.start(gap.lastindex) for gap in gaps)  # where a sentence's gap begins
        last = next((end for end in ends if end >= position), len(text))
    return min(last - position, CONTEXT_SIZE)


def _merged(hunks):
    # Hunks that meet (no unchanged text between them) become one.
    merged: list[tuple[int, int, int, int]] = []
    for hunk in hunks:
        if merged and merged[-1][1] == hunk[0]:
            last = merged.pop()
            hunk = (last[0], hunk[1], last[2], hunk[3])
        merged.append(hunk)
    return merged
