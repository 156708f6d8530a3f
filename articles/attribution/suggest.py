"""``suggest_quotes``: who said what in a story's plain text, found by rules, for an editor.

Each reporting verb ("said", "told reporters", "according to") is a cue. Around it the
suggester looks for the speaker (the subject before it, or the words after it in "said
Smith") and the words attributed: a quotation closed just before it, opened just after it,
split around it, or, with no quotation, the reported clause (a paraphrase, which may hold a
partial quote). A quotation no cue claims is a continuation of the previous speaker's quote
when it opens a paragraph after one, and otherwise a scare quote or a title, not suggested.
"""

from dataclasses import dataclass

from articles.attribution.cues import Reading
from articles.attribution.lexicon import PRONOUNS, SPEECH_VERBS, TITLE_CUES, words
from articles.attribution.speakers import name_for
from articles.attribution.text import Quotation

QUOTE, PARAPHRASE = "quote", "paraphrase"
ADJUNCT_OPENERS = words(
    "in on at during after before via through monday tuesday wednesday thursday friday "
    "saturday sunday yesterday today earlier later jan feb mar apr jun jul aug sep sept oct "
    "nov dec january february march april june july august september october november "
    "december"
)
NOT_A_CLAUSE = words("to nothing so yes no for about of by")
MIN_CLAUSE_WORDS = 3
SMALL_WORDS = words("a an and at by for in of on or the to with")


@dataclass(frozen=True)
class Suggestion:
    """Words attributed to a speaker through a cue, for an editor to accept or dismiss."""

    start: int
    end: int
    kind: str
    speaker_start: int | None
    speaker_end: int | None
    speaker_name: str | None
    cue_start: int | None
    cue_end: int | None
    confidence: float


def suggest_quotes(text: str) -> list[Suggestion]:
    """Suggested attributions in ``text``, in reading order; offsets are code points into it."""
    return _Suggester(text).run()


class _Suggester(Reading):
    def run(self):
        found = []
        for sentence in self.sentences:
            for cue in self._cues(sentence):
                suggestion = self._attribute(cue)
                if suggestion is not None:
                    found.append(suggestion)
        found += self._continuations(found)
        return _deduplicated(found)

    # Attribution of one cue

    def _attribute(self, cue):
        if cue.according:
            return self._according(cue)
        if cue.colon:
            q = self.quote_at[cue.last]
            if q in self.used:
                return None
            self.used.add(q)
            quote = self.quotes[q]
            return self._suggest(cue, quote.start, quote.end, QUOTE, 0.75)
        quote = self._quote_before(cue) or self._quote_after(cue)
        if quote is not None:
            start, end = quote
            return self._suggest(cue, start, end, QUOTE, 0.75 if cue.naming else 0.9)
        if cue.naming:
            return None
        return self._paraphrase(cue)

    def _attribution_span(self, cue):
        first = min(cue.first, cue.speaker[0])
        last = max(cue.last, cue.speaker[1])
        return first, last

    def _quote_before(self, cue):
        """A quotation closed just before '..., Smith said' / '..., said Smith'."""
        first, last = self._attribution_span(cue)
        if first == 0:
            return None
        q = self.quote_at[first - 1]
        if q is None or q in self.used:
            return None
        quote = self.quotes[q]
        if self._is_title(quote):
            return None
        between = self.text[quote.end : self.toks[first].start]
        if between.strip(" ,—–-") != "" or "\n" in between:
            return None
        self.used.add(q)
        end = self._run_on(quote, last, cue.sentence)
        return quote.start, end

    def _run_on(self, quote, last, sentence):
        """The end of a quote split around its cue: '"...," she said. "..."' is one quote."""
        toks = self.toks
        nxt = last
        while nxt < len(toks) and self.quote_at[nxt] is None and nxt - last < 40:
            if "\n" in self.text[toks[nxt - 1].end : toks[nxt].start]:
                return quote.end
            nxt += 1
        if nxt >= len(toks) or self.quote_at[nxt] is None:
            return quote.end
        q2 = self.quotes[self.quote_at[nxt]]
        if q2.start != toks[nxt].start or "\n" in self.text[quote.end : q2.start]:
            return quote.end
        if self._has_own_cue(q2) or toks[nxt - 1].text not in ",.:;—":
            return quote.end
        if any(t.lower in SPEECH_VERBS for t in toks[last:nxt]):
            return quote.end  # '"...," Smith said. Jones replied, "..."': another speaker
        self.used.add(self.quote_at[nxt])
        return q2.end

    def _has_own_cue(self, quote):
        """Whether words right after the quotation attribute it ('...," he said')."""
        if self.text[quote.end - 2] not in ",?!—-":
            return False
        after = self.text[quote.end : quote.end + 60].split()
        return any(w.strip(",.").lower() in SPEECH_VERBS for w in after[:5])

    def _quote_after(self, cue):
        """A quotation opened just after 'Smith said:' / 'Smith said in a statement,'."""
        first, last = self._attribution_span(cue)
        toks = self.toks
        j = last
        while j < cue.sentence[1] + 1 and j < len(toks) and self.quote_at[j] is None:
            j += 1
        if j >= len(toks) or j - last > 10 or self.quote_at[j] in self.used:
            return None
        q = self.quote_at[j]
        if q is None:
            return None
        quote = self.quotes[q]
        if self._is_title(quote):
            return None
        between = self.text[toks[last - 1].end : quote.start]
        if cue.naming:
            if "." in between or quote.words(self.text) > 12:
                return None
        elif len(between.split()) > 5:
            return None
        elif between.rstrip().endswith("."):
            if cue.speaker_after or not self._only_adjuncts(last, cue.sentence[1]):
                return None
            if "\n" in between:
                return None
        elif not (between.rstrip().endswith((":", ",")) or between.strip() == ""):
            return None
        if between.strip() == "" and not cue.naming and not self._quote_ends_sentence(quote, cue):
            return None
        self.used.add(q)
        return quote.start, quote.end

    def _quote_ends_sentence(self, quote, cue):
        after = self.text[quote.end : quote.end + 3].lstrip()
        return (
            quote.end >= self.toks[cue.sentence[1] - 1].end
            or not after
            or after[0] in ".\n"
            or self.text[quote.end - 2] in ".?!"
        )

    def _paraphrase(self, cue):
        """The reported clause around a cue: after 'said (that)', or before ', Smith said.'."""
        a, b = cue.sentence
        toks = self.toks
        first, last = self._attribution_span(cue)
        after_comma = first > a and toks[first - 1].text == ","
        if after_comma and self._only_adjuncts(last, b):
            if toks[a].lower in ADJUNCT_OPENERS or first - 2 < a:
                return None
            return self._reported(cue, a, first - 1, 0.7)
        if after_comma and last < b and toks[last].text == ",":
            # 'The plan, she said, was dead': the sentence around the cue is the clause.
            return self._reported(cue, a, self._clause_end(a, b), 0.7)
        if cue.speaker_after or last >= b:
            return None
        start_tok = last
        for k in range(last, min(b, last + 8)):
            if toks[k].lower == "that":
                start_tok = k
                break
            if toks[k].text in ",;:":
                break
        opener = toks[start_tok].lower
        if opener in NOT_A_CLAUSE or opener in ADJUNCT_OPENERS or opener in ",;":
            return None
        end_tok = self._clause_end(start_tok, b)
        if end_tok - start_tok <= MIN_CLAUSE_WORDS and opener != "that":
            return None
        return self._reported(cue, start_tok, end_tok, 0.5 if cue.weak else 0.7)

    def _according(self, cue):
        """'According to X, ...' and '..., according to X.'"""
        a, b = cue.sentence
        toks = self.toks
        if cue.first > a:
            end_tok = cue.first - 1 if toks[cue.first - 1].text == "," else cue.first
            return self._reported(cue, a, end_tok, 0.7)
        k = cue.speaker[1]
        while k < b and toks[k].text != ",":
            k += 1
        if k + 1 >= b:
            return None
        return self._reported(cue, k + 1, self._clause_end(k + 1, b), 0.7)

    def _reported(self, cue, start_tok, end_tok, confidence):
        """A suggestion for the words of tokens start_tok..end_tok, as reported through cue.

        The clause keeps its partial quotes; a clause that is one quotation is a quote.
        """
        if end_tok <= start_tok:
            return None
        start, end = self.toks[start_tok].start, self.toks[end_tok - 1].end
        end = self._through_quote(start, end)
        if len(self.text[start:end].split()) < MIN_CLAUSE_WORDS:
            return None
        self._absorb(start, end)
        quoted = self._sole_quote(start, end)
        if quoted:
            return self._suggest(cue, *quoted, QUOTE, 0.85)
        return self._suggest(cue, start, end, PARAPHRASE, confidence)

    def _through_quote(self, start, end):
        """A clause that opens a quotation of several sentences runs to its closing mark."""
        for quote in self.quotes:
            if quote.start - start in (0, 1) and quote.end > end:
                return quote.end
        return end

    def _closes(self, k):
        return self.quote_at[k] is not None

    def _clause_end(self, start_tok, b):
        """The sentence's last token, without a final full stop outside a quotation."""
        end_tok = b
        while (
            end_tok > start_tok
            and self.toks[end_tok - 1].text in ".;:"
            and not self._closes(end_tok - 1)
        ):
            end_tok -= 1
        return end_tok

    def _only_adjuncts(self, last, b):
        """'Smith said in a statement.' / 'said on Tuesday.': nothing reported in the sentence."""
        rest = [t for t in self.toks[last:b] if t.is_word]
        return not rest or (rest[0].lower in ADJUNCT_OPENERS and len(rest) <= 8)

    def _absorb(self, start, end):
        """Partial quotes inside a paraphrase belong to it."""
        for q, quote in enumerate(self.quotes):
            if start <= quote.start and quote.end <= end + 1:
                self.used.add(q)

    def _sole_quote(self, start, end):
        for quote in self.quotes:
            if quote.start - start in (0, 1) and abs(quote.end - end) <= 1:
                return quote.start, quote.end
        return None

    def _suggest(self, cue, start, end, kind, confidence):
        toks = self.toks
        s0, s1 = cue.speaker
        words = toks[s0:s1]
        if len(words) == 1 and words[0].lower in PRONOUNS:
            confidence -= 0.05
        return Suggestion(
            start=start,
            end=end,
            kind=kind,
            speaker_start=words[0].start,
            speaker_end=words[-1].end,
            speaker_name=name_for(toks, cue.speaker, self.known),
            cue_start=toks[cue.first].start,
            cue_end=toks[cue.last - 1].end,
            confidence=round(confidence, 2),
        )

    # Quotations no cue claimed

    def _continuations(self, found):
        """A quotation opening a paragraph right after a speaker's quote continues it; one
        opening a paragraph far from any cue is offered with no speaker, at low confidence."""
        extra = []
        by_end = sorted(found, key=lambda s: s.end)
        for q, quote in enumerate(self.quotes):
            if q in self.used or not self._opens_paragraph(quote):
                continue
            if quote.words(self.text) <= 4 or self._is_title(quote):
                continue
            previous = [s for s in by_end if s.end <= quote.start]
            prior = previous[-1] if previous else None
            gap = self.text[prior.end : quote.start] if prior else ""
            if prior is None or gap.strip("\n").count("\n") > 0 or len(gap.strip()) > 80:
                # No speaker in reach: the quotation is offered for the editor to attribute.
                extra.append(
                    Suggestion(quote.start, quote.end, QUOTE, None, None, None, None, None, 0.3)
                )
                continue
            extra.append(
                Suggestion(
                    quote.start, quote.end, QUOTE, prior.speaker_start, prior.speaker_end,
                    prior.speaker_name, None, None, 0.5,
                )
            )  # fmt: skip
        return extra

    def _opens_paragraph(self, quote: Quotation):
        return quote.start == 0 or self.text[: quote.start].rstrip(" \t").endswith("\n")

    def _is_title(self, quote):
        """'the film "The Long Harbour"', 'on "Morning Show"': a name, not speech."""
        before = self.text[max(0, quote.start - 30) : quote.start].split()
        if before and before[-1].lower() in TITLE_CUES:
            return True
        inner = [w for w in self.text[quote.start + 1 : quote.end - 1].split() if w[0].isalpha()]
        if not inner or len(inner) > 8:
            return False
        return all(w[0].isupper() or w in SMALL_WORDS for w in inner)


def _deduplicated(found):
    best = {}
    for s in found:
        key = (s.start, s.end)
        if key not in best or s.confidence > best[key].confidence:
            best[key] = s
    return sorted(best.values(), key=lambda s: (s.start, s.end))
