"""Cues: the reporting verbs of a text ("said", "told reporters", "according to", a colon
opening a quotation) and the words naming the speaker of each.

``Reading`` holds the text cut up once (words, sentences, quotations, names) for the rules.
"""

from dataclasses import dataclass

from articles.attribution.lexicon import (
    ADDRESSEE_VERBS,
    NAMING_VERBS,
    NOT_NAMES,
    SPEECH_VERBS,
    THOUGHT_VERBS,
    words,
)
from articles.attribution.speakers import (
    looks_like_speaker,
    mentions,
    phrase_after,
    subject_before,
)
from articles.attribution.text import quotations, sentences, tokens

PASSIVE = words("is was were be been being are am to")
SUBJECT_OPENERS = words("in on at during after before when while as")


@dataclass
class Cue:
    """A reporting verb or phrase (tokens first..last) and its speaker (a token range)."""

    first: int
    last: int
    speaker: tuple[int, int]
    speaker_after: bool
    sentence: tuple[int, int]
    naming: bool = False
    weak: bool = False
    according: bool = False
    colon: bool = False


class Reading:
    """A text cut up for the rules, and the cues found in it sentence by sentence."""

    def __init__(self, text):
        self.text = text
        self.toks = tokens(text)
        self.sentences = sentences(text, self.toks)
        self.quotes = quotations(text)
        self.known = mentions(self.toks)
        self.quote_at = self._quote_index()
        # Quotations already attributed, and the speaker of the sentence's last cue.
        self.used: set[int] = set()
        self.last_speaker: tuple[int, int] | None = None

    def _quote_index(self):
        """For each token, the index of the quotation holding it, or None."""
        index, q = [], 0
        for tok in self.toks:
            while q < len(self.quotes) and self.quotes[q].end <= tok.start:
                q += 1
            inside = q < len(self.quotes) and self.quotes[q].start <= tok.start
            index.append(q if inside else None)
        return index

    def _cues(self, sentence):
        """The cues of one sentence, in reading order, each with its speaker."""
        a, b = sentence
        toks = self.toks
        self.last_speaker = None
        for i in range(a, b):
            if toks[i].text == ":" and self.quote_at[i] is None:
                cue = self._colon(i, sentence)
                if cue is not None:
                    yield cue
                continue
            if self.quote_at[i] is not None or not toks[i].is_word:
                continue
            word = toks[i].text
            if word.lower() == "according" and i + 1 < b and toks[i + 1].lower == "to":
                speaker = phrase_after(toks, i + 2, b)
                if speaker and looks_like_speaker(toks, speaker):
                    yield Cue(i, i + 2, speaker, True, sentence, according=True)
                continue
            lower = word.lower()
            naming = lower in NAMING_VERBS
            weak = lower in THOUGHT_VERBS
            if not (lower in SPEECH_VERBS or naming or weak) or word[0].isupper():
                continue
            if i > a and toks[i - 1].lower in PASSIVE:
                continue
            if weak and i + 1 < b and toks[i + 1].lower in ("to", "of", "about", "for", "out"):
                continue
            cue = self._speaker_for(i, sentence, naming, weak)
            if cue is not None:
                self.last_speaker = cue.speaker
                yield cue

    def _speaker_for(self, i, sentence, naming, weak):
        a, b = sentence
        toks = self.toks
        subject = subject_before(toks, i, a)
        last = self._addressee_end(i, b) if toks[i].lower in ADDRESSEE_VERBS else i + 1
        speaks = subject and (looks_like_speaker(toks, subject) or self._follows_quote(subject[0]))
        if speaks and not self._in_quote(subject):
            return Cue(i, last, subject, False, sentence, naming, weak)
        if weak or naming:
            return None
        before = toks[i - 1].text if i > a else ""
        shares_subject = toks[i].lower.endswith("ing") and before in ",”\"’'"
        if shares_subject or before in ("and", "but"):
            # '..., saying that ...', '... and joked, "..."': the sentence's speaker speaks.
            subject = self.last_speaker or self._sentence_subject(a, i)
            if subject:
                return Cue(i, last, subject, False, sentence)
        if i == a or before in ",”\"’'—":
            speaker = phrase_after(toks, i + 1, b)
            if speaker and (looks_like_speaker(toks, speaker) or self._follows_quote(i)):
                return Cue(i, i + 1, speaker, True, sentence)
        return None

    def _colon(self, i, sentence):
        """'Smith put it bluntly: "..."': a colon opening a quotation, said by the subject."""
        a, b = sentence
        toks = self.toks
        nxt = i + 1
        if nxt >= len(toks) or self.quote_at[nxt] is None:
            return None
        if self.quotes[self.quote_at[nxt]].words(self.text) < 5 or i - a > 25:
            return None
        speaker = self._sentence_subject(a, i)
        if not speaker or speaker[1] == i:
            return None
        cue_first = speaker[1] if i - speaker[1] <= 4 else i
        return Cue(cue_first, i + 1, speaker, False, sentence, colon=True)

    def _sentence_subject(self, a, limit):
        """The noun phrase the sentence opens with, after an opening adverbial."""
        toks = self.toks
        first = a
        while first < limit and toks[first].lower in SUBJECT_OPENERS:
            first = self._after_comma(first, limit)
        speaker = phrase_after(toks, first, limit)
        if not speaker or not looks_like_speaker(toks, speaker) or self._in_quote(speaker):
            return None
        if toks[first].is_capitalised and toks[first].lower not in NOT_NAMES:
            # 'Kerpen needled the paper': the name, not the verb after it.
            end = first
            while end < speaker[1] and (toks[end].is_capitalised or toks[end].text in "-&"):
                end += 1
            speaker = (first, end)
        return speaker

    def _after_comma(self, k, limit):
        while k < limit and self.toks[k].text != ",":
            k += 1
        return k + 1

    def _follows_quote(self, k):
        """'"...," the investor said': right after a quotation, any subject is its speaker."""
        if k and self.toks[k - 1].text == ",":
            k -= 1
        return (
            k > 0
            and self.quote_at[k - 1] is not None
            and self.quotes[self.quote_at[k - 1]].end == self.toks[k - 1].end
        )

    def _in_quote(self, span):
        return any(self.quote_at[k] is not None for k in range(*span))

    def _addressee_end(self, i, b):
        """The token after 'told reporters', 'told the paper', 'warned Congress'."""
        toks = self.toks
        j = i + 1
        if j >= b or not toks[j].is_word or toks[j].lower == "that":
            return i + 1
        if toks[j].lower in ("the", "a", "an"):
            j += 1
        if j < b and toks[j].is_capitalised:
            while j < b and toks[j].is_capitalised and toks[j].is_word:
                j += 1
            return j
        return j + 1 if j < b and toks[j].is_word else i + 1
