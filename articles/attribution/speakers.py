"""Who speaks: the words naming the speaker around a reporting verb, and the name they stand for.

A speaker span is a name ("State Department spokesman Ned Price"), a description ("the
influential US daily") or a pronoun ("he"). Its name is the person or organisation it names,
or, for pronouns and descriptions, the nearest fitting one named in the story.
"""

import re
from dataclasses import dataclass

from articles.attribution.lexicon import (
    AUXILIARIES,
    GROUP_PRONOUNS,
    NOT_NAMES,
    ORGANISATION_NOUNS,
    ORGANISATION_WORDS,
    PERSON_NOUNS,
    PERSON_PRONOUNS,
    PRONOUNS,
    SUBJECT_STOPS,
    TITLES,
    words,
)
from articles.attribution.text import Token

PERSON, ORGANISATION = "person", "organisation"
NAME_JOINERS = words("of de da del van von al bin la le")
PREPOSITIONS = words("within at from of for in with inside among on")
POSSESSIVE = re.compile(r"[’']s?$")
MAX_SPEAKER_WORDS = 9
MAX_APPOSITION_WORDS = 20


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    name: str
    kind: str
    possessive: bool
    # A person named again by surname alone: more surely a person than a place ('Del Rio').
    sure: bool = False


NOT_ADVERBS = words("daily weekly monthly family ally rally italy july")


def is_adverb(token: Token) -> bool:
    lower = token.lower
    return lower in AUXILIARIES or (
        lower.endswith("ly") and len(lower) > 4 and lower not in NOT_ADVERBS
    )


def subject_before(toks: list[Token], cue: int, floor: int) -> tuple[int, int] | None:
    """Token range of the subject ending just before ``toks[cue]``, skipping adverbs."""
    i = cue - 1
    while i >= floor and toks[i].is_word and is_adverb(toks[i]) and not toks[i].is_capitalised:
        i -= 1
    if i >= floor and toks[i].text == ")":
        # A party and state after a name: 'Sen. Jane Roe (D-Vt.) said'.
        while i >= floor and toks[i].text != "(":
            i -= 1
        i -= 1
    if i > floor and toks[i].text == "," and cue - i == 1:
        return _apposition(toks, i, floor)
    last = i
    while i >= floor and i > last - MAX_SPEAKER_WORDS:
        tok = toks[i]
        if not tok.is_word and tok.text not in "-&":
            break
        if tok.lower in SUBJECT_STOPS and not _joins_name(toks, i, floor):
            break
        i -= 1
    first = i + 1
    while first <= last and toks[first].lower in ("and", "but", "of"):
        first += 1
    if first > last or not toks[last].is_word:
        return None
    return first, last + 1


def _apposition(toks, comma, floor):
    """'Tomas Quill, the authority's director, said': the name and its description."""
    k = comma - 1
    while k >= floor and k > comma - MAX_APPOSITION_WORDS and toks[k].text != ",":
        k -= 1
    if k < floor or toks[k].text != ",":
        return None
    description = (k + 1, comma)
    name = subject_before(toks, k, floor)
    opener = toks[description[0]]
    if name is None or (opener.is_capitalised and opener.lower not in ("the", "a", "an")):
        return None
    return name[0], comma


def _joins_name(toks, i, floor):
    """'Secretary of State': a joining word between two capitalised words belongs to the name."""
    return (
        toks[i].lower in NAME_JOINERS
        and i > floor
        and toks[i - 1].is_capitalised
        and i + 1 < len(toks)
        and toks[i + 1].is_capitalised
    )


def phrase_after(toks: list[Token], at: int, ceiling: int) -> tuple[int, int] | None:
    """Token range of the noun phrase starting at ``toks[at]``: 'said Ned Price, ...'."""
    i = at
    while i < ceiling and i < at + MAX_SPEAKER_WORDS:
        tok = toks[i]
        if not tok.is_word and tok.text not in "-&":
            break
        stops = tok.lower in SUBJECT_STOPS or tok.lower in PREPOSITIONS
        if i > at and stops and not _joins_name(toks, i, at):
            break
        i += 1
    if i == at:
        return None
    return at, i


def looks_like_speaker(toks: list[Token], span: tuple[int, int]) -> bool:
    """Whether the words could name someone: a name, a pronoun, or a description of one."""
    words = toks[span[0] : span[1]]
    if len(words) == 1 and words[0].lower in PRONOUNS - {"which", "you", "him"}:
        return True
    head = _head(words)
    if not head:
        return False
    if any(t.is_capitalised and t.lower not in NOT_NAMES for t in head):
        return True
    return any(t.lower in PERSON_NOUNS or t.lower in ORGANISATION_NOUNS for t in head)


def _head(words):
    """The words before a preposition: 'sources' in 'sources within the administration'."""
    for i, tok in enumerate(words):
        if i and tok.lower in PREPOSITIONS and not tok.is_capitalised:
            if tok.lower == "of" and i + 1 < len(words) and words[i + 1].is_capitalised:
                continue
            return words[:i]
    return words


def mentions(toks: list[Token]) -> list[Mention]:
    """Every run of capitalised words that names someone, typed person or organisation."""
    found, i = [], 0
    while i < len(toks):
        if not _name_word(toks, i):
            i += 1
            continue
        j = i + 1
        while j < len(toks) and (_name_word(toks, j) or _joins_name(toks, j, i)):
            if POSSESSIVE.search(toks[j - 1].text):
                break
            j += 1
        words = [t for t in toks[i:j] if t.lower not in TITLES or not t.is_capitalised]
        if len(words) == 1 and (
            words[0].lower in PERSON_NOUNS or words[0].lower in ORGANISATION_NOUNS
        ):
            words = []  # 'Sources said', 'Officials say': a sentence's first word, not a name
        if words:
            article = i > 0 and toks[i - 1].lower == "the"
            name = " ".join(t.text for t in words)
            kind = _kind(words, article)
            found.append(
                Mention(toks[i].start, toks[j - 1].end, _strip(name), kind, _owns(toks[j - 1]))
            )
        i = j
    return _complete_surnames(found)


def _name_word(toks, i):
    tok = toks[i]
    return tok.is_word and tok.is_capitalised and tok.lower not in NOT_NAMES


def _owns(tok):
    return bool(POSSESSIVE.search(tok.text)) and len(tok.text) > 2


def _strip(name):
    return POSSESSIVE.sub("", name) if name.endswith(("’s", "'s")) else name


def _kind(words, article):
    lowered = {t.lower for t in words}
    if lowered & ORGANISATION_WORDS or article or all(t.text.isupper() for t in words):
        return ORGANISATION
    if len(words) >= 2:
        return PERSON
    return ""


def _complete_surnames(found):
    """A lone surname after its full name ('Foote' after 'Daniel Foote') is that person."""
    full = {}
    completed = []
    for m in found:
        if m.kind == PERSON and " " in m.name:
            full[m.name.split()[-1]] = m.name
        if m.kind == "" and m.name in full:
            m = Mention(m.start, m.end, full[m.name], PERSON, m.possessive)
        completed.append(m)
    surnames = {m.name.split()[-1] for m in found if m.kind == ""}
    return [
        Mention(m.start, m.end, m.name, m.kind, m.possessive, m.name.split()[-1] in surnames)
        if m.kind == PERSON
        else m
        for m in completed
    ]


def name_for(toks: list[Token], span: tuple[int, int], known: list[Mention]) -> str | None:
    """The speaker the words name, or the nearest fitting named one for a pronoun or description."""
    words = toks[span[0] : span[1]]
    start = words[0].start
    if len(words) == 1 and words[0].lower in PRONOUNS:
        kind = PERSON if words[0].lower in PERSON_PRONOUNS else ORGANISATION
        if words[0].lower in GROUP_PRONOUNS:
            kind = None
        return _nearest(known, start, kind)
    head = _head(words)
    own = [m for m in known if head[0].start <= m.start and m.end <= head[-1].end]
    if own:
        people = [m for m in own if m.kind == PERSON]
        return (people or own)[-1].name
    lowered = {t.lower for t in head}
    if lowered & {"source", "sources", "officials", "critics", "supporters", "residents"}:
        return None
    if head[0].lower in ("the", "this", "that") and lowered & PERSON_NOUNS:
        return _nearest(known, start, PERSON)
    if head[0].lower in ("the", "this", "that") and lowered & ORGANISATION_NOUNS:
        return _nearest(known, start, ORGANISATION)
    return None


def _nearest(known, at, kind):
    """The closest fitting mention before ``at``, else the first after it in the next 400 points."""
    fits = [m for m in known if not m.possessive and (kind is None or m.kind == kind)]
    if kind == PERSON and any(m.sure for m in fits):
        fits = [m for m in fits if m.sure]
    before = [m for m in fits if m.end <= at and at - m.end < 1500]
    if before:
        return before[-1].name
    after = [m for m in fits if m.start > at and m.start - at < 400]
    return after[0].name if after else None
