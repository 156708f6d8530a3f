"""Plain text, selectors and re-anchoring (annotations.anchoring): pure Python, no database."""

import html
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.annotations.anchoring import (
    CONTEXT_SIZE,
    EXACT,
    FUZZY,
    MOVED,
    ORPHANED,
    Reanchored,
    anchor,
    describe,
    plain_text,
    reanchor,
    reanchor_all,
)

STORY_FILE = Path(__file__).resolve().parent.parent / "articles" / "data" / "foote-story.txt"
PARAGRAPHS = [
    " ".join(paragraph.split())
    for paragraph in re.split(r"\n\s*\n", STORY_FILE.read_text(encoding="utf-8").strip())
]
STORY_HTML = "".join(f"<p>{html.escape(paragraph, quote=False)}</p>" for paragraph in PARAGRAPHS)
STORY = plain_text(STORY_HTML)


def select(text: str, quote: str, occurrence: int = 0) -> dict:
    """The selector of the n-th occurrence of ``quote`` in ``text``."""
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(quote, start + 1)
    return describe(text, start, start + len(quote))


def story_with(*paragraphs: str) -> str:
    return plain_text("".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs))


def landed(text: str, result: Reanchored) -> str:
    return text[result.start : result.end]


# plain_text


def test_story_plain_text_is_its_paragraphs_separated_by_blank_lines():
    assert "\n\n".join(PARAGRAPHS) == STORY


def test_block_elements_are_separated_by_one_blank_line_and_br_by_a_newline():
    body = "<h2>Title</h2><p>One<br>two</p><ul><li>a</li><li>b</li></ul><blockquote>q</blockquote>"
    assert plain_text(body) == "Title\n\nOne\ntwo\n\na\n\nb\n\nq"


def test_whitespace_runs_collapse_to_one_space_and_the_edges_are_trimmed():
    assert plain_text("  <p>  a \n\t b  <em> c </em>d </p>  ") == "a b c d"


def test_entities_become_the_characters_a_reader_sees():
    assert plain_text("<p>Fish &amp; chips &eacute;t&#233; &lt;b&gt; &#x2019;</p>") == (
        "Fish & chips été <b> ’"
    )


def test_non_breaking_space_is_kept_and_not_collapsed():
    assert plain_text("<p>10&nbsp;&nbsp;km</p>") == "10\xa0\xa0km"


def test_astral_characters_count_as_one_code_point_each():
    text = plain_text("<p>Haiti 🇭🇹 flag 😀</p>")
    assert text == "Haiti 🇭🇹 flag 😀"
    assert len(text) == 15  # the flag is two regional indicators, the smiley one code point
    assert text.index("flag") == 9


def test_scripts_and_styles_are_not_text():
    assert plain_text("<p>a<script>var x = 1;</script> b<style>p {}</style></p>") == "a b"


# describe and anchor


def test_describe_gives_a_quote_selector_and_a_position_selector():
    selector = select(STORY, "Daniel Foote, a career diplomat")
    start = STORY.index("Daniel Foote")
    assert selector == {
        "exact": "Daniel Foote, a career diplomat",
        "prefix": STORY[start - CONTEXT_SIZE : start],
        "suffix": STORY[start + 31 : start + 31 + CONTEXT_SIZE],
        "start": start,
        "end": start + 31,
    }
    assert len(selector["prefix"]) == len(selector["suffix"]) == 32


def test_describe_gives_shorter_context_at_the_edges_of_the_text():
    first = describe(STORY, 0, 9)
    last = describe(STORY, len(STORY) - 7, len(STORY))
    assert (first["exact"], first["prefix"]) == ("President", "")
    assert (last["exact"], last["suffix"]) == ("cycles.", "")


@pytest.mark.parametrize("start, end", [(5, 5), (7, 3), (-1, 4), (10, len(STORY) + 1)])
def test_describe_refuses_an_empty_or_out_of_range_span(start, end):
    with pytest.raises(ValueError, match="empty or outside the text"):
        describe(STORY, start, end)


def test_anchor_finds_a_described_span_at_its_offsets():
    selector = select(STORY, "inhumane")
    assert anchor(STORY, selector) == (selector["start"], selector["end"])


def test_anchor_finds_a_quote_with_stale_offsets_by_its_context():
    selector = select(STORY, "Del Rio", occurrence=1)
    stale = dict(selector, start=3, end=10)
    assert anchor(STORY, stale) == (selector["start"], selector["end"])


def test_anchor_picks_the_repeated_phrase_whose_context_matches():
    for occurrence in (0, 1):
        selector = select(STORY, "the southern border", occurrence)
        quote_only = {key: selector[key] for key in ("exact", "prefix", "suffix")}
        assert anchor(STORY, quote_only) == (selector["start"], selector["end"])


def test_anchor_breaks_context_ties_by_closeness_to_the_old_offset():
    text = "same words here. same words here. same words here."
    selector = {"exact": "same", "prefix": "", "suffix": "", "start": 30, "end": 34}
    assert anchor(text, selector) == (34, 38)


def test_anchor_returns_none_when_the_quote_does_not_occur_word_for_word():
    selector = dict(select(STORY, "inhumane"), exact="inhuman3")
    assert anchor(STORY, selector) is None


def test_anchor_distrusts_offsets_that_disagree_with_the_quote_length():
    selector = dict(select(STORY, "Haiti", occurrence=2))
    inconsistent = dict(selector, end=selector["end"] + 1)
    assert anchor(STORY, inconsistent) == (selector["start"], selector["end"])


def test_a_selector_without_a_quote_is_refused():
    with pytest.raises(ValueError, match="non-empty quote"):
        anchor(STORY, {"start": 0, "end": 3})


# reanchor on the Foote story


def test_unedited_text_keeps_every_span_exact():
    selector = select(STORY, "Antony Blinken")
    assert reanchor(STORY, STORY, selector) == Reanchored(selector["start"], selector["end"], EXACT)


def test_span_untouched_by_an_edit_before_it_keeps_its_text_at_shifted_offsets():
    selector = select(STORY, "Daniel Foote, a career diplomat")
    new = STORY.replace("President Joe Biden’s", "President Joseph R. Biden’s")
    result = reanchor(STORY, new, selector)
    assert result.status == MOVED
    assert result.start == selector["start"] + len("seph R.") - len("e")
    assert landed(new, result) == selector["exact"]


def test_span_untouched_by_an_edit_after_it_stays_exact():
    selector = select(STORY, "Daniel Foote, a career diplomat")
    new = STORY.replace("Antony Blinken", "Antony J. Blinken")
    assert reanchor(STORY, new, selector) == Reanchored(selector["start"], selector["end"], EXACT)


def test_paragraph_inserted_at_the_top_shifts_the_right_occurrence_of_repeated_words():
    inserted = "Critics called the deportations inhumane and the policy inhumane."
    new = story_with(inserted, *PARAGRAPHS)
    selector = select(STORY, "inhumane")
    result = reanchor(STORY, new, selector)
    assert result == Reanchored(
        selector["start"] + len(inserted) + 2, selector["end"] + len(inserted) + 2, MOVED
    )
    assert landed(new, result) == "inhumane"


def test_paragraph_inserted_at_the_top_starting_with_the_same_words_stays_before_the_span():
    new = story_with("President Joe Biden spoke on Friday.", *PARAGRAPHS)
    selector = select(STORY, "President Joe Biden’s special envoy")
    result = reanchor(STORY, new, selector)
    assert result.status == MOVED
    assert result.start == len("President Joe Biden spoke on Friday.") + 2
    assert landed(new, result) == selector["exact"]


def test_deleting_the_paragraph_orphans_its_spans_and_shifts_the_rest():
    new = story_with(*PARAGRAPHS[:1], *PARAGRAPHS[2:])
    inside = select(STORY, "burgeoning crisis in the Texas border town")
    after = select(STORY, "Foote also wanted greater oversight")
    before = select(STORY, "Daniel Foote")
    results = reanchor_all(STORY, new, [inside, after, before])
    assert results[0] == Reanchored(None, None, ORPHANED)
    assert results[1].status == MOVED and landed(new, results[1]) == after["exact"]
    assert results[2] == Reanchored(before["start"], before["end"], EXACT)


def test_deleting_a_top_paragraph_that_the_next_one_echoes_orphans_it():
    old = story_with("President Biden said nothing.", *PARAGRAPHS)
    selector = select(old, "President Biden said nothing")
    assert reanchor(old, STORY, selector).status == ORPHANED


def test_typo_fixed_inside_a_paraphrase_keeps_the_span_on_the_corrected_text():
    selector = select(
        STORY, "Sources within the Biden Administration said Foote’s issued went beyond"
    )
    new = STORY.replace("Foote’s issued", "Foote’s issues")
    result = reanchor(STORY, new, selector)
    assert result.status == FUZZY
    assert (result.start, result.end) == (selector["start"], selector["end"])
    assert landed(new, result) == (
        "Sources within the Biden Administration said Foote’s issues went beyond"
    )


def test_a_rewritten_short_span_is_orphaned_and_not_found_elsewhere():
    selector = select(STORY, "inhumane")
    rewritten = [PARAGRAPHS[0].replace("inhumane", "cruel"), *PARAGRAPHS[1:]]
    new = story_with(*rewritten, "Advocates called the expulsions inhumane.")
    assert reanchor(STORY, new, selector) == Reanchored(None, None, ORPHANED)


def test_a_word_typed_right_before_or_after_a_span_stays_outside_it():
    selector = select(STORY, "career diplomat")
    before = STORY.replace("a career diplomat", "a seasoned career diplomat")
    after = STORY.replace("career diplomat,", "career diplomat and envoy,")
    moved = reanchor(STORY, before, selector)
    assert moved.status == MOVED and landed(before, moved) == "career diplomat"
    assert reanchor(STORY, after, selector).status == EXACT


def test_words_repeated_next_to_a_span_are_read_as_typed_outside_it():
    selector = select(STORY, "thousands of Haitians being deported")
    new = STORY.replace("thousands of Haitians being", "thousands of thousands of Haitians being")
    result = reanchor(STORY, new, selector)
    assert result.status == MOVED
    assert landed(new, result) == selector["exact"]


def test_one_save_with_several_edits_maps_every_span_through_them_together():
    new = story_with(
        "Editor’s note: this story has been updated.",
        PARAGRAPHS[0].replace("“inhumane”", "“cruel”"),
        *PARAGRAPHS[1:2],
        PARAGRAPHS[2].replace("Foote’s issued", "Foote’s issues"),
        *PARAGRAPHS[4:],
    )
    selectors = [
        select(STORY, "inhumane"),
        select(STORY, "Daniel Foote, a career diplomat"),
        select(STORY, "Foote’s issued went beyond frustration"),
        select(STORY, "shared Foote’s resignation letter on Twitter"),
        select(STORY, "the southern border", occurrence=1),
    ]
    results = reanchor_all(STORY, new, selectors)
    assert [result.status for result in results] == [ORPHANED, MOVED, FUZZY, ORPHANED, MOVED]
    assert landed(new, results[1]) == "Daniel Foote, a career diplomat"
    assert landed(new, results[2]) == "Foote’s issues went beyond frustration"
    assert landed(new, results[4]) == "the southern border"
    assert results[4].start == new.index("the southern border", new.index("bipartisan"))


def test_astral_characters_typed_before_a_span_shift_it_by_their_code_points():
    selector = select(STORY, "Yamiche Alcindor")
    new = STORY.replace("According to the Associated Press", "🇭🇹 😀 According to the AP")
    result = reanchor(STORY, new, selector)
    shift = len("🇭🇹 😀 ") + len("AP") - len("Associated Press")
    assert result == Reanchored(selector["start"] + shift, selector["end"] + shift, MOVED)
    assert landed(new, result) == "Yamiche Alcindor"


def test_a_span_is_fuzzy_while_its_words_are_mostly_kept_and_orphaned_once_rewritten():
    selector = select(STORY, "a gaping hole in U.S. policy toward Haiti")
    light = STORY.replace("a gaping hole", "a big hole")
    heavy = STORY.replace("a gaping hole in U.S. policy toward Haiti", "Washington adrift")
    fuzzy = reanchor(STORY, light, selector)
    assert fuzzy.status == FUZZY
    assert landed(light, fuzzy) == "a big hole in U.S. policy toward Haiti"
    assert reanchor(STORY, heavy, selector).status == ORPHANED


def test_a_selector_stale_in_the_old_text_is_found_there_by_its_quote_first():
    selector = dict(select(STORY, "Del Rio", occurrence=1), start=0, end=7)
    new = "Breaking news.\n\n" + STORY
    result = reanchor(STORY, new, selector)
    assert result.status == MOVED
    assert result.start == STORY.index("Del Rio has shrunk") + len("Breaking news.\n\n")


def test_a_selector_made_on_the_newer_text_is_found_there_word_for_word_only():
    new = STORY + "\n\nA late paragraph about Port-au-Prince."
    selector = select(new, "Port-au-Prince")
    assert reanchor(STORY, new, selector) == Reanchored(selector["start"], selector["end"], EXACT)
    typo = dict(selector, exact="Port-au-Prinse")
    assert reanchor(STORY, new, typo).status == ORPHANED


# properties

ALPHABET = st.sampled_from(["a", "b", "c", " ", "\n", "\n\n", ". ", "é", "😀", "🇭🇹", "ab ", "cab "])
TEXTS = st.lists(ALPHABET, min_size=1, max_size=60).map("".join)
REPLACEMENTS = st.lists(ALPHABET, max_size=8).map("".join)
PROPERTY = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def span_and_edit(draw, overlapping: bool):
    """A text, a span of it, and an edit (old[edit_start:edit_end] -> replacement)."""
    text = draw(TEXTS)
    start = draw(st.integers(0, len(text) - 1))
    end = draw(st.integers(start + 1, len(text)))
    if overlapping:
        edit_start = draw(st.integers(0, end - 1))
        # an insertion (edit_start == edit_end) then lies strictly inside the span
        edit_end = draw(st.integers(max(edit_start, start + 1), len(text)))
    else:
        before = start > 0 and draw(st.booleans())
        edit_start = draw(st.integers(0, start) if before else st.integers(end, len(text)))
        edit_end = draw(st.integers(edit_start, start if before else len(text)))
    replacement = draw(REPLACEMENTS)
    new = text[:edit_start] + replacement + text[edit_end:]
    return text, start, end, edit_start, edit_end, replacement, new


@PROPERTY
@given(span_and_edit(overlapping=False))
def test_property_an_edit_outside_a_span_keeps_its_text(case):
    old, start, end, _, _, _, new = case
    selector = describe(old, start, end)
    result = reanchor(old, new, selector)
    assert result.status in (EXACT, MOVED)
    assert new[result.start : result.end] == old[start:end]
    assert (result.status == EXACT) == ((result.start, result.end) == (start, end))


def indel_distance(a: str, b: str) -> int:
    """Characters deleted plus characters inserted by the cheapest edit from a to b."""
    previous = [0] * (len(b) + 1)  # longest common subsequence, one row at a time
    for char in a:
        row = [0]
        for k, other in enumerate(b):
            row.append(previous[k] + 1 if char == other else max(previous[k + 1], row[k]))
        previous = row
    return len(a) + len(b) - 2 * previous[-1]


@PROPERTY
@given(span_and_edit(overlapping=True))
def test_property_an_edit_inside_a_span_leaves_it_orphaned_or_around_the_edit(case):
    old, start, end, edit_start, edit_end, replacement, new = case
    result = reanchor(old, new, describe(old, start, end))
    if result.status == ORPHANED:
        assert (result.start, result.end) == (None, None)
        return
    assert 0 <= result.start < result.end <= len(new)
    if result.status != FUZZY:
        assert new[result.start : result.end] == old[start:end]
    edited_start, edited_end = edit_start, edit_start + len(replacement)
    if result.start <= edited_end and result.end >= edited_start:
        return
    # Away from the edit only when another reading of the change, one that costs no more typing
    # than the edit made, puts the span there: in repetitive text the same new text has several
    # explanations ("a🇭🇹🇭🇹" losing its first three code points may have lost the last two).
    reading = (
        indel_distance(old[:start], new[: result.start])
        + indel_distance(old[start:end], new[result.start : result.end])
        + indel_distance(old[end:], new[result.end :])
    )
    assert reading <= (edit_end - edit_start) + len(replacement)


@PROPERTY
@given(TEXTS, st.data())
def test_property_describe_then_anchor_finds_the_same_span(text, data):
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    selector = describe(text, start, end)
    assert anchor(text, selector) == (start, end)
    quote_only = {key: selector[key] for key in ("exact", "prefix", "suffix")}
    found = anchor(text, quote_only)
    assert found is not None and text[found[0] : found[1]] == selector["exact"]


@settings(max_examples=100, deadline=None)
@given(TEXTS, REPLACEMENTS, st.data())
def test_property_reanchor_all_agrees_with_reanchor_one_by_one(old, replacement, data):
    edit_start = data.draw(st.integers(0, len(old)))
    edit_end = data.draw(st.integers(edit_start, len(old)))
    new = old[:edit_start] + replacement + old[edit_end:]
    spans = data.draw(
        st.lists(
            st.integers(0, len(old) - 1).flatmap(
                lambda start: st.tuples(st.just(start), st.integers(start + 1, len(old)))
            ),
            min_size=1,
            max_size=10,
        )
    )
    selectors = [describe(old, start, end) for start, end in spans]
    assert reanchor_all(old, new, selectors) == [reanchor(old, new, s) for s in selectors]


def test_consecutive_line_breaks_make_a_blank_line_and_no_more():
    assert plain_text("<p>a<br>b</p>") == "a\nb"
    assert plain_text("<p>a<br><br>b</p>") == "a\n\nb"
    assert plain_text("<p>a<br><br><br>b</p><p>c</p>") == "a\n\nb\n\nc"


def test_the_anchoring_api_answers_under_its_published_name():
    from articles import anchoring as published

    old = "<p>The envoy called it inhumane.</p><p>Another paragraph.</p>"
    new = "<p>On Wednesday the envoy called it inhumane.</p><p>Another paragraph.</p>"
    old_text, new_text = published.plain_text(old), published.plain_text(new)
    start = old_text.index("inhumane")
    selector = published.describe(old_text, start, start + len("inhumane"))
    moved = published.reanchor(old_text, new_text, selector)
    assert moved.start is not None and new_text[moved.start : moved.end] == "inhumane"
