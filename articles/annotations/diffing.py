"""Readable differences between two versions of a text, word by word. Pure Python."""

import difflib
import re
from dataclasses import dataclass

_WORDS = re.compile(r"\S+\s*|\s+")


@dataclass(frozen=True)
class Change:
    """One run of the text that differs: ``removed`` became ``added`` (either may be empty)."""

    removed: str
    added: str


@dataclass(frozen=True)
class Piece:
    """A run of the new text as a reader of a diff sees it: kept, inserted or deleted."""

    kind: str  # "equal", "insert" or "delete"
    text: str


def diff_pieces(old: str, new: str) -> list[Piece]:
    """The new text interleaved with what was deleted from the old, in reading order."""
    old_words, new_words = _WORDS.findall(old), _WORDS.findall(new)
    matcher = difflib.SequenceMatcher(None, old_words, new_words, autojunk=False)
    pieces = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            pieces.append(Piece("equal", "".join(new_words[j1:j2])))
            continue
        if i2 > i1:
            pieces.append(Piece("delete", "".join(old_words[i1:i2])))
        if j2 > j1:
            pieces.append(Piece("insert", "".join(new_words[j1:j2])))
    return pieces


def changes(old: str, new: str) -> list[Change]:
    """Only what differs between ``old`` and ``new``, each run as one change."""
    found, removed, added = [], "", ""
    for piece in diff_pieces(old, new) + [Piece("equal", "")]:
        if piece.kind == "delete":
            removed += piece.text
        elif piece.kind == "insert":
            added += piece.text
        elif removed or added:
            found.append(Change(removed.strip(), added.strip()))
            removed = added = ""
    return found
