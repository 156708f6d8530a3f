"""Carrying text spans across an edit of the plain text: one diff, every span mapped through it.

Pure Python, no Django. ``annotations.anchoring`` re-exports what callers need; this module
only knows about two plain texts and spans of code-point offsets in the older one.

The server holds both versions of a body, so rather than searching the new text for each quote
it diffs the two texts once and maps every span through the diff. A diff is ambiguous about
where an edit lies in repetitive text (inserting "very " before "very good" may be seen as an
insertion after the first "very"), so insertions and deletions are slid to natural boundaries
(paragraphs, sentences, words), and a span that one of them still seems to cut is treated as
untouched when sliding it out of the span gives the same text.
"""

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from difflib import SequenceMatcher
from itertools import accumulate

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

PARAGRAPH_BREAK = "\n\n"
_PARAGRAPHS = re.compile(r"(?<=\n\n)")  # split after each break: a token is "paragraph\n\n"
_WORDS = re.compile(r"\w+\s*|[^\w\s]\s*|\s+")  # a word or one mark, with the space after it
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
    hunks around any span in logarithmic time.
    """

    def __init__(self, old: str, new: str):
        self.old = old
        self.new = new
        hunks = _merged(_changed_regions(old, new))
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

        Untouched text keeps its words at shifted offsets. Text the edit reached follows the
        edited words and stays "fuzzy" while similar enough, else is orphaned: it is never
        searched for elsewhere, where the same words could mean something else.
        ``recorded`` are the offsets the selector holds, which decide "exact" versus "moved".
        """
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

    def _intact_position(self, start, end, first, stop, near):
        # Where the span's words still stand whole, if the diff only seems to have touched them.
        exact = self.old[start:end]
        if self.new[near : near + len(exact)] == exact:
            return near
        if stop - first == 1:
            return self._slid_clear(first, start, end)
        return None

    def _slid_clear(self, k: int, start: int, end: int) -> int | None:
        # In repetitive text one insertion or deletion can be placed in several equally good
        # ways: "very " typed before "very good" may be diffed as typed after the first "very".
        # If the lone hunk over the span can slide out of it, the span was not edited.
        i1, i2, j1, j2 = self.i1[k], self.i2[k], self.j1[k], self.j2[k]
        new, old = self.new, self.old
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
    prefix = _common_prefix_size(old[i1:i2], new[j1:j2])
    suffix = _common_suffix_size(old[i1:i2], new[j1:j2], min(i2 - i1, j2 - j1) - prefix)
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
    else:
        pattern = _PARAGRAPHS if level == _PARAGRAPH_LEVEL else _WORDS
        old_tokens = _tokens(pattern, old[i1:i2])
        new_tokens = _tokens(pattern, new[j1:j2])
    matcher = SequenceMatcher(None, old_tokens, new_tokens, autojunk=False)
    if level == _CHAR_LEVEL and matcher.ratio() < CHAR_ALIGN_MIN:
        hunks.append((i1, i2, j1, j2))  # a different word, not a misspelt one
        return
    old_at = list(accumulate(map(len, old_tokens), initial=i1))
    new_at = list(accumulate(map(len, new_tokens), initial=j1))
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if tag != "replace" or level == _CHAR_LEVEL:
            hunks.append((old_at[a1], old_at[a2], new_at[b1], new_at[b2]))
        elif level == _PARAGRAPH_LEVEL and a2 - a1 == b2 - b1:
            # As many paragraphs on each side: most likely each was edited in place.
            for a, b in zip(range(a1, a2), range(b1, b2), strict=True):
                pair = (old_at[a], old_at[a + 1], new_at[b], new_at[b + 1])
                _refine(old, new, pair, _WORD_LEVEL, hunks)
        else:
            region = (old_at[a1], old_at[a2], new_at[b1], new_at[b2])
            _refine(old, new, region, level + 1, hunks)


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


def _tokens(pattern: re.Pattern, text: str) -> list[str]:
    if pattern is _PARAGRAPHS:
        return [token for token in pattern.split(text) if token]
    return pattern.findall(text)


def _merged(hunks):
    # Hunks that meet (no unchanged text between them) become one.
    merged: list[tuple[int, int, int, int]] = []
    for hunk in hunks:
        if merged and merged[-1][1] == hunk[0]:
            last = merged.pop()
            hunk = (last[0], hunk[1], last[2], hunk[3])
        merged.append(hunk)
    return merged


def _common_prefix_size(a: str, b: str) -> int:
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


def _common_suffix_size(a: str, b: str, limit: int) -> int:
    low, high = 0, max(0, limit)
    while low < high:
        middle = (low + high + 1) // 2
        if a[len(a) - middle :] == b[len(b) - middle :]:
            low = middle
        else:
            high = middle - 1
    return low
