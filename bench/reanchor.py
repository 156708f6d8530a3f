"""How long re-anchoring takes on a long article: run ``python bench/reanchor.py`` from the root.

Builds a synthetic 10,000-word article (seeded, so every run measures the same text), places
1,000 annotations on it, and times ``reanchor_all`` for six kinds of save: a one-word edit, a
paragraph inserted at the top, a paragraph deleted, a paragraph moved down the article, two
paragraphs swapped, a sentence moved to the end of its paragraph. The goal is under 50 ms per
save, judged on the 95th percentile. It prints figures; it is not a test.
"""

import random
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from articles.annotations.anchoring import EXACT, FUZZY, MOVED, ORPHANED, describe, reanchor_all  # noqa: E402

SEED = 20240921
WORDS = 10_000
ANNOTATIONS = 1_000
REPEATS = 30
GOAL_MS = 50.0

VOCABULARY_TEXT = (
    "the of and to a in that is was he for it with as his on be at by had are but from or "
    "have an they which one you were all we her she there would their will when who him been "
    "has more if no out so said what up its about into than them can only other new some could "
    "time these two may then do first any my now such like our over man me even most made after "
    "also did many before must through back years where much your way well down should because "
    "each just those people how too little state good very make world still own see men work "
    "long get here between both life being under never day same another know while last might "
    "great old year off come since against go came right used take three envoy border migrants "
    "diplomat policy asylum deportation crisis administration president secretary resignation "
    "humanitarian advocates encampment bridge flights authorities immigration elections security"
)
VOCABULARY = VOCABULARY_TEXT.split()
REPEATED_PHRASES = ["the southern border", "Del Rio", "inhumane", "special envoy to Haiti"]


def build_article(rng: random.Random) -> str:
    """About WORDS words in paragraphs of sentences, with some phrases recurring throughout."""
    paragraphs, total = [], 0
    while total < WORDS:
        sentences = []
        for _ in range(rng.randint(3, 7)):
            words = [rng.choice(VOCABULARY) for _ in range(rng.randint(6, 22))]
            if rng.random() < 0.3:
                words.insert(rng.randrange(len(words)), rng.choice(REPEATED_PHRASES))
            total += len(words)
            sentence = " ".join(words)
            sentences.append(sentence[0].upper() + sentence[1:] + rng.choice(".....?!"))
        paragraphs.append(" ".join(sentences))
    return "\n\n".join(paragraphs)


def place_annotations(rng: random.Random, text: str) -> list[dict]:
    """Selectors on random word spans, a tenth of them on occurrences of repeated phrases."""
    word_starts = [
        i for i, char in enumerate(text) if char.isalnum() and (i == 0 or text[i - 1] in " \n")
    ]
    selectors = []
    while len(selectors) < ANNOTATIONS:
        if len(selectors) % 10 == 0:
            phrase = rng.choice(REPEATED_PHRASES)
            start = rng.choice([i for i in word_starts if text.startswith(phrase, i)])
            end = start + len(phrase)
        else:
            first = rng.randrange(len(word_starts) - 12)
            start = word_starts[first]
            end = word_starts[first + rng.randint(1, 12)] - 1
        selectors.append(describe(text, start, end))
    return selectors


def one_word_edit(rng: random.Random, text: str, selectors: list[dict]) -> str:
    """The second word of the annotation nearest the middle becomes another word."""
    annotated = min(
        (selector for selector in selectors if selector["exact"].count(" ") >= 2),
        key=lambda selector: abs(selector["start"] - len(text) // 2),
    )
    start = text.index(" ", annotated["start"]) + 1
    end = text.index(" ", start)
    return text[:start] + "reportedly" + text[end:]


def paragraph_at_top(rng: random.Random, text: str, selectors: list[dict]) -> str:
    words = [rng.choice(VOCABULARY) for _ in range(60)]
    return " ".join(words) + ".\n\n" + text


def paragraph_deleted(rng: random.Random, text: str, selectors: list[dict]) -> str:
    paragraphs = text.split("\n\n")
    del paragraphs[len(paragraphs) // 2]
    return "\n\n".join(paragraphs)


def paragraph_moved(rng: random.Random, text: str, selectors: list[dict]) -> str:
    """The paragraph a quarter of the way down is cut and pasted three quarters of the way."""
    paragraphs = text.split("\n\n")
    moved = paragraphs.pop(len(paragraphs) // 4)
    paragraphs.insert(3 * len(paragraphs) // 4, moved)
    return "\n\n".join(paragraphs)


def paragraphs_swapped(rng: random.Random, text: str, selectors: list[dict]) -> str:
    paragraphs = text.split("\n\n")
    middle = len(paragraphs) // 2
    paragraphs[middle], paragraphs[middle + 1] = paragraphs[middle + 1], paragraphs[middle]
    return "\n\n".join(paragraphs)


def sentence_moved(rng: random.Random, text: str, selectors: list[dict]) -> str:
    """The first sentence of the middle paragraph becomes its last."""
    paragraphs = text.split("\n\n")
    middle = paragraphs[len(paragraphs) // 2]
    cut = min(middle.find(mark + " ") for mark in ".?!" if mark + " " in middle) + 1
    paragraphs[len(paragraphs) // 2] = middle[cut + 1 :] + " " + middle[:cut]
    return "\n\n".join(paragraphs)


def measure(old: str, new: str, selectors: list[dict]) -> tuple[list[float], list]:
    timings, results = [], []
    for _ in range(REPEATS):
        began = time.perf_counter()
        results = reanchor_all(old, new, selectors)
        timings.append((time.perf_counter() - began) * 1000)
    return timings, results


def main() -> None:
    rng = random.Random(SEED)
    text = build_article(rng)
    selectors = place_annotations(rng, text)
    print(
        f"article: {len(text.split()):,} words, {len(text):,} characters, "
        f"{text.count(chr(10) * 2) + 1} paragraphs; {len(selectors):,} annotations; "
        f"{REPEATS} repeats per case; goal {GOAL_MS:.0f} ms per save (95th percentile)"
    )
    cases = {
        "(a) one-word edit": one_word_edit,
        "(b) paragraph inserted at the top": paragraph_at_top,
        "(c) paragraph deleted": paragraph_deleted,
        "(d) paragraph moved down the article": paragraph_moved,
        "(e) two paragraphs swapped": paragraphs_swapped,
        "(f) sentence moved to the end of its paragraph": sentence_moved,
    }
    all_passed = True
    for name, edit in cases.items():
        new = edit(rng, text, selectors)
        timings, results = measure(text, new, selectors)
        median = statistics.median(timings)
        p95 = statistics.quantiles(timings, n=20)[-1]
        statuses = Counter(result.status for result in results)
        intact_text = sum(
            new[result.start : result.end] == selector["exact"]
            for selector, result in zip(selectors, results, strict=True)
            if result.status in (EXACT, MOVED)
        )
        verdict = "PASS" if p95 < GOAL_MS else "FAIL"
        all_passed &= verdict == "PASS"
        counts = ", ".join(
            f"{status} {statuses[status]}" for status in (EXACT, MOVED, FUZZY, ORPHANED)
        )
        print(f"\n{name}")
        print(f"  ms per save: median {median:.2f}, p95 {p95:.2f}  -> {verdict}")
        print(f"  statuses: {counts}")
        print(f"  exact/moved spans whose new text is the quote: {intact_text}")
    print(f"\noverall: {'PASS' if all_passed else 'FAIL'}")


if __name__ == "__main__":
    main()
