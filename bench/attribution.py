"""How well the attribution assistant finds who said what, on PolNeAR's dev split.

    .venv/bin/python bench/attribution.py PATH_TO_POLNEAR [--split dev] [--show-misses N]

PolNeAR (github.com/networkdynamics/PolNeAR) is 1,008 US news articles from 2016 whose
attributions are annotated as Source, Cue and Content spans in brat standoff files, with offsets
into the articles' .txt files: the suggester runs on those texts directly, so offsets compare.
Develop on ``train`` and ``dev``; ``test`` is kept for an outside evaluation.

A suggestion matches a gold attribution when their overlap is at least half the longer of the
two, one to one, greedily by overlap. A gold Content in several fragments (a quote split around
its cue) counts its fragments only: the overlap is with them, its length is theirs. Direct
quotes are the gold attributions whose Content holds a quotation mark, against the suggestions
whose words hold one (a quote, or a paraphrase with a partial quote). Speaker accuracy is, of
the matched attributions, the share whose speaker span overlaps the gold Source (or, when the
gold has no Source, that gives none). Where several annotators annotated an article, the first
annotator's file (by name) is the gold.
"""

import argparse
import re
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from articles.attribution import suggest_quotes  # noqa: E402

QUOTE_MARKS = re.compile('["“”]')


@dataclass
class Gold:
    start: int
    end: int
    fragments: tuple[tuple[int, int], ...]
    sources: tuple[tuple[int, int], ...]
    has_mark: bool

    @property
    def length(self):
        return sum(b - a for a, b in self.fragments)


def read_spans(offsets):
    return tuple(tuple(int(n) for n in part.split()) for part in offsets.split(";"))


def read_gold(ann_text, text):
    spans, golds = {}, []
    for line in ann_text.splitlines():
        fields = line.split("\t")
        if line.startswith("T") and len(fields) >= 2:
            label, _, offsets = fields[1].partition(" ")
            spans[fields[0]] = (label, read_spans(offsets))
    for line in ann_text.splitlines():
        if not line.startswith("E"):
            continue
        roles = dict(part.split(":", 1) for part in line.split("\t")[1].split())
        content = [spans[t] for role, t in roles.items() if role.startswith("Content")]
        if not content:
            continue
        fragments = content[0][1]
        sources = tuple(
            frag for role, t in roles.items() if role.startswith("Source") for frag in spans[t][1]
        )
        has_mark = any(QUOTE_MARKS.search(text[a:b]) for a, b in fragments)
        golds.append(Gold(fragments[0][0], fragments[-1][1], fragments, sources, has_mark))
    return golds


def overlap(a_start, a_end, b_start, b_end):
    return max(0, min(a_end, b_end) - max(a_start, b_start))


def match(suggestions, golds):
    """Pairs (suggestion, gold) one to one, greedily by overlap, each at least half the longer."""
    candidates = []
    for i, s in enumerate(suggestions):
        for j, g in enumerate(golds):
            shared = sum(overlap(s.start, s.end, a, b) for a, b in g.fragments)
            if shared and shared * 2 >= max(s.end - s.start, g.length):
                candidates.append((shared, i, j))
    used_s, used_g, pairs = set(), set(), []
    for _, i, j in sorted(candidates, reverse=True):
        if i not in used_s and j not in used_g:
            used_s.add(i)
            used_g.add(j)
            pairs.append((suggestions[i], golds[j]))
    return pairs


def speaker_right(suggestion, gold):
    if not gold.sources:
        return suggestion.speaker_start is None
    if suggestion.speaker_start is None:
        return False
    return any(
        overlap(suggestion.speaker_start, suggestion.speaker_end, a, b) for a, b in gold.sources
    )


class Tally:
    def __init__(self):
        self.suggested = self.gold = self.matched = self.speakers = 0

    def add(self, suggestions, golds):
        pairs = match(suggestions, golds)
        self.suggested += len(suggestions)
        self.gold += len(golds)
        self.matched += len(pairs)
        self.speakers += sum(speaker_right(s, g) for s, g in pairs)
        return pairs

    def line(self, label):
        p = self.matched / self.suggested if self.suggested else 0.0
        r = self.matched / self.gold if self.gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        speaker = self.speakers / self.matched if self.matched else 0.0
        return (
            f"{label:<18} P {p:.3f}  R {r:.3f}  F1 {f:.3f}  speaker {speaker:.3f}  "
            f"({self.matched} matched of {self.suggested} suggested, {self.gold} gold)"
        )


def articles(root, split):
    """(name, text, annotation) per article; one annotator's file where several annotated it."""
    folder = Path(root) / "data" / split
    if not folder.is_dir():
        folder = Path(root) / split
    texts = {p.stem: p for p in sorted((folder / "text").glob("*.txt"))}
    seen = set()
    for ann in sorted((folder / "attributions").glob("*.ann")):
        name = ann.stem.rsplit("_", 1)[0]
        if name in seen or name not in texts:
            continue
        seen.add(name)
        yield name, texts[name].read_text(encoding="utf-8"), ann.read_text(encoding="utf-8")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("polnear", help="the PolNeAR checkout (holding data/<split>/)")
    parser.add_argument("--split", default="dev", choices=["train", "dev"])
    parser.add_argument("--show-misses", type=int, default=0, metavar="N")
    args = parser.parse_args()

    quotes, everything, timings, words = Tally(), Tally(), [], 0
    missed, spurious = [], []
    for name, text, ann in articles(args.polnear, args.split):
        golds = read_gold(ann, text)
        began = time.perf_counter()
        suggestions = suggest_quotes(text)
        timings.append((time.perf_counter() - began) * 1000)
        words += len(text.split())
        everything.add(suggestions, golds)
        quoted = [s for s in suggestions if QUOTE_MARKS.search(text[s.start : s.end])]
        gold_quotes = [g for g in golds if g.has_mark]
        pairs = quotes.add(quoted, gold_quotes)
        hit_s = {id(s) for s, _ in pairs}
        hit_g = {id(g) for _, g in pairs}
        missed += [(name, text, g) for g in gold_quotes if id(g) not in hit_g]
        spurious += [(name, text, s) for s in quoted if id(s) not in hit_s]

    print(f"PolNeAR {args.split}: {len(timings)} articles, {words:,} words")
    print(quotes.line("direct quotes"))
    print(everything.line("all attributions"))
    print(
        f"time per article: mean {statistics.mean(timings):.1f} ms, "
        f"max {max(timings):.1f} ms, {sum(timings) / words * 2000:.1f} ms per 2,000 words"
    )
    for name, text, g in missed[: args.show_misses]:
        print(
            "MISS",
            name,
            repr(text[max(0, g.start - 80) : g.start]),
            repr(text[g.start : g.end][:160]),
        )
    for name, text, s in spurious[: args.show_misses]:
        print("FALSE", name, s.kind, repr(text[s.start : s.end][:160]))


if __name__ == "__main__":
    main()
