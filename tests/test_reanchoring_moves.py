"""Moved text is followed: a span whose words were cut and pasted elsewhere goes with them.

Paragraphs moved, swapped or reordered, sentences moved, paragraphs split or joined: the span
follows its words when they stand whole in the new text in one place its context picks, and is
orphaned otherwise. It never lands on other words that merely read the same.
"""

import random
import re

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from articles import anchoring
from articles.annotations.anchoring import (
    CONTEXT_SIZE,
    EXACT,
    MOVED,
    ORPHANED,
    Reanchored,
    describe,
    reanchor,
    reanchor_all,
)
from tests.test_anchoring import PARAGRAPHS, STORY, landed, select


def story(*paragraphs: str) -> str:
    return "\n\n".join(paragraphs)


def in_order(*indexes: int) -> str:
    """The Foote story with its paragraphs in this order."""
    return story(*(PARAGRAPHS[k] for k in indexes))


def followed(old: str, new: str, quote: str, occurrence: int = 0) -> Reanchored:
    """Re-anchor the n-th occurrence of ``quote`` and check it landed on the same words."""
    result = reanchor(old, new, select(old, quote, occurrence))
    assert result.status == MOVED, result
    assert landed(new, result) == quote
    return result


def haitian(text: str, phrase: str) -> dict:
    """The selector of the word "Haitian" where it begins ``phrase``."""
    start = text.index(phrase)
    return describe(text, start, start + len("Haitian"))


def within(new: str, result: Reanchored, paragraph: str) -> bool:
    """Whether the result lies inside ``paragraph`` where it stands in ``new``."""
    start = new.index(paragraph)
    return start <= result.start and result.end <= start + len(paragraph)


# the reported case


def test_a_span_in_a_paragraph_moved_down_follows_its_words_under_the_published_name():
    old, new = STORY, in_order(0, 2, 3, 4, 1, 5)
    quote = "burgeoning crisis in the Texas border town"
    start = old.index(quote)
    result = anchoring.reanchor(old, new, anchoring.describe(old, start, start + len(quote)))
    assert result.status == anchoring.MOVED
    assert new[result.start : result.end] == quote


# paragraphs moved, swapped, reordered


def test_a_paragraph_moved_up_takes_its_spans_and_the_others_stay_on_their_words():
    new = in_order(4, 0, 1, 2, 3, 5)
    moved = followed(STORY, new, "a gaping hole in U.S. policy toward Haiti")
    assert within(new, moved, PARAGRAPHS[4])
    assert moved.start == STORY.index("a gaping hole") - STORY.index(PARAGRAPHS[4])
    followed(STORY, new, "Yamiche Alcindor")


def test_a_paragraph_moved_to_the_end_takes_its_spans():
    new = in_order(1, 2, 3, 4, 5, 0)
    for quote in ("inhumane", "Daniel Foote, a career diplomat", "Antony Blinken"):
        assert within(new, followed(STORY, new, quote), PARAGRAPHS[0])


def test_two_swapped_paragraphs_keep_their_spans_each_on_its_own_words():
    new = in_order(0, 1, 3, 2, 4, 5)
    issued = followed(STORY, new, "Foote’s issued went beyond frustration")
    alcindor = followed(STORY, new, "Yamiche Alcindor")
    assert within(new, issued, PARAGRAPHS[2]) and within(new, alcindor, PARAGRAPHS[3])


def test_every_paragraph_reordered_keeps_every_span_inside_its_paragraph():
    order = (5, 3, 1, 4, 0, 2)
    new = in_order(*order)
    quotes = [
        ("inhumane", 0),
        ("thousands of Haitians being deported", 1),
        ("slow-walked", 2),
        ("PBS", 3),
        ("about 15,000 last week", 4),
        ("seek asylum", 5),
    ]
    selectors = [select(STORY, quote) for quote, _ in quotes]
    results = reanchor_all(STORY, new, selectors)
    for (quote, paragraph), result in zip(quotes, results, strict=True):
        assert result.status == MOVED and landed(new, result) == quote
        assert within(new, result, PARAGRAPHS[paragraph])


# sentences moved, paragraphs split and joined


def test_a_sentence_moved_to_the_end_of_its_paragraph_takes_its_spans():
    first, second, third = re.split(r"(?<=\.) (?=[A-Z])", PARAGRAPHS[0])
    new = story(f"{second} {third} {first}", *PARAGRAPHS[1:])
    inhumane = followed(STORY, new, "inhumane")
    assert inhumane.start > new.index("leaving his post immediately.")
    diplomat = followed(STORY, new, "Daniel Foote, a career diplomat")
    assert diplomat.start == 0  # the second sentence now opens the story


def test_a_sentence_moved_to_another_paragraph_takes_its_spans():
    sentence = "Foote also wanted greater oversight of Haiti policy but was rebuffed."
    rest = PARAGRAPHS[2].replace(" " + sentence, "")
    new = story(PARAGRAPHS[0], f"{sentence} {PARAGRAPHS[1]}", rest, *PARAGRAPHS[3:])
    result = followed(STORY, new, "greater oversight of Haiti policy")
    assert result.start == len(PARAGRAPHS[0]) + 2 + len("Foote also wanted ")
    followed(STORY, new, "slow-walked")


def test_a_paragraph_split_in_two_keeps_the_spans_of_both_halves():
    first, second = PARAGRAPHS[4].split(" The number of people", 1)
    new = story(*PARAGRAPHS[:4], first, "The number of people" + second, PARAGRAPHS[5])
    before, after = select(STORY, "gaping hole"), select(STORY, "a peak of about 15,000")
    results = reanchor_all(STORY, new, [before, after])
    assert results[0] == Reanchored(before["start"], before["end"], EXACT)
    assert results[1].status == MOVED and landed(new, results[1]) == "a peak of about 15,000"


def test_two_paragraphs_joined_keep_the_spans_of_both():
    new = story(*PARAGRAPHS[:2], PARAGRAPHS[2] + " " + PARAGRAPHS[3], *PARAGRAPHS[4:])
    results = reanchor_all(
        STORY, new, [select(STORY, "slow-walked"), select(STORY, "Yamiche Alcindor")]
    )
    assert results[0].status == EXACT and landed(new, results[0]) == "slow-walked"
    assert results[1].status == MOVED and landed(new, results[1]) == "Yamiche Alcindor"


def test_a_paragraph_moved_and_split_takes_the_spans_of_both_halves():
    first, second = PARAGRAPHS[1].split(" The burgeoning", 1)
    new = story(PARAGRAPHS[0], *PARAGRAPHS[2:], first, "The burgeoning" + second)
    followed(STORY, new, "Associated Press")
    followed(STORY, new, "The burgeoning crisis in the Texas border town of Del Rio")


# moves with other edits


def test_a_moved_paragraph_with_edits_elsewhere_follows_while_edited_spans_stay_fuzzy():
    new = in_order(3, 0, 1, 2, 4, 5).replace("Foote’s issued", "Foote’s issues")
    selectors = [
        select(STORY, "Yamiche Alcindor"),
        select(STORY, "Foote’s issued went beyond frustration"),
        select(STORY, "Daniel Foote, a career diplomat"),
    ]
    moved, edited, shifted = reanchor_all(STORY, new, selectors)
    assert moved.status == MOVED and landed(new, moved) == "Yamiche Alcindor"
    assert moved.start < new.index("President Joe Biden")
    assert edited.status == "fuzzy"
    assert landed(new, edited) == "Foote’s issues went beyond frustration"
    assert shifted.status == MOVED and landed(new, shifted) == "Daniel Foote, a career diplomat"


def test_a_moved_paragraph_with_a_word_changed_keeps_the_spans_the_change_did_not_reach():
    moved = PARAGRAPHS[5].replace("news cycles", "news cycle")
    new = story(moved, *PARAGRAPHS[:5])
    followed(STORY, new, "seek asylum")  # another sentence
    followed(STORY, new, "Border Patrol")  # the same sentence, with its context untouched


def test_a_span_whose_paragraph_moved_and_whose_own_words_changed_is_orphaned():
    new = story(PARAGRAPHS[5].replace("seek asylum", "ask for asylum"), *PARAGRAPHS[:5])
    assert reanchor(STORY, new, select(STORY, "seek asylum")) == Reanchored(None, None, ORPHANED)


# never other words


def test_a_common_word_in_a_moved_paragraph_follows_its_context_not_another_occurrence():
    # "Haitian" stands six times in the story, twice in the last paragraph, which moves to the top.
    new = in_order(5, 0, 1, 2, 3, 4)
    assert STORY.count("Haitian") == 6
    refugees = reanchor(STORY, new, haitian(STORY, "Haitian refugees"))
    assert refugees.status == MOVED and landed(new, refugees) == "Haitian"
    assert new[refugees.start :].startswith("Haitian refugees")
    migrants = reanchor(STORY, new, haitian(STORY, "Haitian migrants"))
    assert migrants.status == MOVED and new[migrants.start :].startswith("Haitian migrants")


def test_a_repeated_phrase_in_a_moved_paragraph_follows_its_own_paragraph():
    new = in_order(4, 0, 1, 2, 3, 5)
    second = followed(STORY, new, "the southern border", occurrence=1)
    assert within(new, second, PARAGRAPHS[4])
    first = reanchor(STORY, new, select(STORY, "the southern border"))
    assert first.status == MOVED and within(new, first, PARAGRAPHS[0])


def test_a_common_word_whose_paragraph_was_deleted_does_not_jump_to_another_occurrence():
    new = story(*PARAGRAPHS[:5])
    selector = haitian(STORY, "Haitian refugees")
    assert new.count("Haitian") == 4
    assert reanchor(STORY, new, selector) == Reanchored(None, None, ORPHANED)


def test_a_common_word_whose_moved_sentence_was_reworded_around_it_is_orphaned():
    reworded = PARAGRAPHS[5].replace(
        "agents on horseback detaining Haitian refugees", "detaining Haitian families on horses"
    )
    new = story(reworded, *PARAGRAPHS[:5])
    selector = haitian(STORY, "Haitian refugees")
    assert reanchor(STORY, new, selector) == Reanchored(None, None, ORPHANED)


def test_the_same_words_pasted_in_two_places_orphan_a_span_rather_than_pick_one():
    repeated = "Haitian migrants waited at the bridge."
    old = story("Officials spoke.", repeated, "Nothing changed.", "The end.")
    new = story(repeated, "Officials spoke.", "Nothing changed.", "The end.", repeated)
    assert reanchor(old, new, select(old, "Haitian")) == Reanchored(None, None, ORPHANED)


def test_a_span_over_two_paragraphs_that_moved_apart_is_orphaned():
    quote = "leaving his post immediately.\n\nAccording to the Associated Press"
    new = in_order(1, 2, 0, 3, 4, 5)
    assert reanchor(STORY, new, select(STORY, quote)) == Reanchored(None, None, ORPHANED)


def test_a_span_over_two_paragraphs_moved_together_follows_them():
    quote = "leaving his post immediately.\n\nAccording to the Associated Press"
    new = in_order(2, 3, 0, 1, 4, 5)
    followed(STORY, new, quote)


# a long story


def long_story(rng: random.Random, words: int = 10_000) -> list[str]:
    """Paragraphs of invented sentences about an envoy, some phrases recurring throughout."""
    vocabulary = re.findall(
        r"\w+",
        "the envoy border migrants diplomat policy asylum crisis administration secretary "
        "advocates bridge flights authorities elections security of and to in that was for on "
        "with as by at from had have an which were been would their said after before",
    )
    recurring = ["the southern border", "Del Rio", "inhumane", "special envoy to Haiti"]
    paragraphs, total = [], 0
    while total < words:
        sentences = []
        for _ in range(rng.randint(3, 7)):
            chosen = [rng.choice(vocabulary) for _ in range(rng.randint(6, 20))]
            if rng.random() < 0.3:
                chosen.insert(rng.randrange(len(chosen)), rng.choice(recurring))
            total += len(chosen)
            sentence = " ".join(chosen)
            sentences.append(sentence[0].upper() + sentence[1:] + ".")
        paragraphs.append(" ".join(sentences))
    return paragraphs


def test_a_ten_thousand_word_story_with_a_moved_paragraph_keeps_every_span_on_its_words():
    rng = random.Random(2021)
    paragraphs = long_story(rng)
    moving = len(paragraphs) // 4
    old = story(*paragraphs)
    new = story(*paragraphs[:moving], *paragraphs[moving + 1 :], paragraphs[moving])
    assert len(old.split()) >= 10_000
    was_at = len(story(*paragraphs[:moving])) + 2
    size = len(paragraphs[moving]) + 2
    now_at = len(new) - len(paragraphs[moving])
    spans = []
    while len(spans) < 1_000:  # a quarter of them in the paragraph that moves
        if len(spans) % 4:
            start = old.index(" ", rng.randrange(len(old) - 200)) + 1
        else:
            start = old.index(" ", rng.randrange(was_at, was_at + size)) + 1
        end = old.index(" ", start + rng.randint(1, 60))
        if "\n" not in old[start:end]:
            spans.append((start, end))
    results = reanchor_all(old, new, [describe(old, start, end) for start, end in spans])
    assert sum(was_at <= start < was_at + size for start, _ in spans) >= 200
    for (start, end), result in zip(spans, results, strict=True):
        if start < was_at:
            where = start
        elif start < was_at + size:
            where = now_at + start - was_at  # inside the moved paragraph
        else:
            where = start - size
        assert (result.start, result.end) == (where, where + end - start)
        assert result.status == (EXACT if where == start else MOVED)


# properties

WORDS = st.sampled_from(["a", "b", "ab", "ba", "c", "é", "😀", "Haitian", "the"])
MARKS = st.sampled_from([" ", " ", " ", ". ", "! ", "? ", ", ", "\n"])
PROPERTY = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def paragraph(draw) -> str:
    """A paragraph as the plain text has it: words and marks, no blank edges or blank lines."""
    tokens = draw(st.lists(st.tuples(WORDS, MARKS), min_size=1, max_size=8))
    text = "".join(word + mark for word, mark in tokens)
    return "\n".join(" ".join(line.split()) for line in text.split("\n") if line.strip())


def trimmed_span(draw, text: str) -> tuple[int, int]:
    """A span as the Annotate screen makes one: starting and ending on a visible character."""
    visible = [k for k, char in enumerate(text) if not char.isspace()]
    start = draw(st.sampled_from(visible))
    return start, draw(st.sampled_from([k + 1 for k in visible if k >= start]))


@st.composite
def permuted(draw, distinct: bool) -> tuple[list[str], list[int], str, str]:
    """Paragraphs, an order of them, the text they make and the text they make in that order."""
    paragraphs = draw(st.lists(paragraph(), min_size=2, max_size=7, unique=distinct))
    order = draw(st.permutations(range(len(paragraphs))))
    return paragraphs, order, story(*paragraphs), story(*(paragraphs[k] for k in order))


def paragraph_starts(paragraphs: list[str]) -> list[int]:
    starts, at = [], 0
    for text in paragraphs:
        starts.append(at)
        at += len(text) + 2
    return starts


@PROPERTY
@given(permuted(distinct=True), st.data())
def test_property_intact_unique_words_are_found_after_any_permutation_of_paragraphs(case, data):
    paragraphs, order, old, new = case
    k = data.draw(st.integers(0, len(paragraphs) - 1))
    start, end = trimmed_span(data.draw, paragraphs[k])
    exact = paragraphs[k][start:end]
    assume(old.count(exact) == 1)
    at = paragraph_starts(paragraphs)[k] + start
    result = reanchor(old, new, describe(old, at, at + len(exact)))
    where = paragraph_starts([paragraphs[k] for k in order])[order.index(k)] + start
    assert result == Reanchored(where, where + len(exact), EXACT if where == at else MOVED)


def context_matches(new: str, start: int, end: int, selector: dict) -> bool:
    """Whether the recorded context agrees with new[start:end]'s, within the span's paragraphs.

    Beyond a paragraph break the context is another paragraph's, which a move changes (and a
    context cut short in the middle of a break ends with half of it).
    """
    prefix, suffix = selector["prefix"], selector["suffix"]
    if "\n\n" in prefix:
        prefix = prefix[prefix.rindex("\n\n") + 2 :]
    elif len(prefix) == CONTEXT_SIZE:
        prefix = prefix.removeprefix("\n")
    if "\n\n" in suffix:
        suffix = suffix[: suffix.index("\n\n")]
    elif len(suffix) == CONTEXT_SIZE:
        suffix = suffix.removesuffix("\n")
    return new.endswith(prefix, 0, start) and new.startswith(suffix, end)


@PROPERTY
@given(permuted(distinct=False), st.data())
def test_property_a_span_after_a_permutation_lands_on_its_own_words_or_is_orphaned(case, data):
    _, _, old, new = case
    spans = [trimmed_span(data.draw, old) for _ in range(data.draw(st.integers(1, 6)))]
    selectors = [describe(old, start, end) for start, end in spans]
    results = reanchor_all(old, new, selectors)
    for selector, result in zip(selectors, results, strict=True):
        if result.status == ORPHANED:
            assert (result.start, result.end) == (None, None)
            continue
        assert new[result.start : result.end] == selector["exact"]
        if new.count(selector["exact"]) > 1:
            assert context_matches(new, result.start, result.end, selector)
    assert results == [reanchor(old, new, selector) for selector in selectors]


# through the model


def paragraph_and_offset(text: str, start: int) -> tuple[str, int]:
    """The paragraph in which ``start`` falls, and how far into it."""
    first = text.rfind("\n\n", 0, start)
    first = 0 if first < 0 else first + 2
    last = text.find("\n\n", start)
    return text[first : len(text) if last < 0 else last], start - first


def test_saving_an_article_with_two_paragraphs_swapped_keeps_its_annotations_on_their_words(
    foote_story,
):
    text = foote_story.plain_text
    before = {a.pk: paragraph_and_offset(text, a.start) for a in foote_story.annotations.all()}
    paragraphs = foote_story.body.split("</p>")
    paragraphs[1], paragraphs[2] = paragraphs[2], paragraphs[1]
    foote_story.body = "</p>".join(paragraphs)
    foote_story.save()

    text = foote_story.plain_text
    assert text.index("Sources within") < text.index("According to the Associated Press")
    annotations = list(foote_story.annotations.all())
    assert len(annotations) == len(before) and not foote_story.annotations.filter(
        anchor_status=ORPHANED
    )
    for annotation in annotations:
        assert text[annotation.start : annotation.end] == annotation.exact
        assert paragraph_and_offset(text, annotation.start) == before[annotation.pk]
    frustration = foote_story.annotations.get(exact__startswith="Foote’s frustration")
    issued = foote_story.annotations.get(kind="paraphrase", exact__startswith="Foote’s issued")
    assert (frustration.anchor_status, issued.anchor_status) == (MOVED, MOVED)
    assert foote_story.annotations.get(kind="quote").anchor_status == EXACT
