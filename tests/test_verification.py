"""Finding a quote's words in its source's document, and naming them in a web page's address."""

import re

from hypothesis import given
from hypothesis import strategies as st

from articles.annotations.verification import find_in_document, quote_parts, text_fragment_url

LETTER = (
    "Dear Director Vale,\n\nI write to resign from the harbour board, effective at once.\n"
    "The board's 'temporary' closure of the ferry has lasted three years, and I cannot\n"
    "defend it to the islanders who depend on it.\n\nYours, Mira Castellan"
)


def found(words, document=LETTER):
    span = find_in_document(words, document)
    return document[span[0] : span[1]] if span else None


def test_the_words_are_found_where_they_are():
    assert found("I write to resign from the harbour board") == (
        "I write to resign from the harbour board"
    )


def test_quotation_mark_style_whitespace_and_case_do_not_matter():
    assert found("the board’s “temporary” closure") == "The board's 'temporary' closure"
    assert found("I CANNOT   defend it") == "I cannot\ndefend it"


def test_the_punctuation_around_a_quote_is_the_storys_not_the_speakers():
    assert found("“effective at once.”") == "effective at once"
    assert found("effective at once,") == "effective at once"


def test_an_elision_stands_for_words_left_out_and_the_parts_must_be_in_order():
    assert found("I write to resign […] effective at once") == (
        "I write to resign from the harbour board, effective at once"
    )
    assert found("I write to resign [...] effective at once") is not None
    assert found("I write to resign [ . . . ] effective at once") is not None
    assert found("effective at once […] I write to resign") is None


def test_words_are_found_only_whole():
    assert found("humane") is None
    assert found("inhumane", "an inhumane policy") == "inhumane"
    assert found("board", "the boards") is None


def test_changed_words_are_not_found():
    assert found("I write to resign from the port board") is None
    assert found("the closure has lasted four years") is None


def test_nothing_to_find_is_never_found():
    assert found("") is None
    assert found("“ […] ”") is None
    assert quote_parts(" [...] ") == []


def test_a_short_quote_is_named_whole_in_a_text_fragment():
    url = text_fragment_url("https://example.org/letter", "effective at once, and final-ish")
    assert url == "https://example.org/letter#:~:text=effective%20at%20once%2C%20and%20final%2Dish"


def test_a_long_or_elided_quote_is_named_by_its_first_and_last_words():
    long = "I write to resign from the harbour board, effective at once"
    assert text_fragment_url("https://example.org/a#top", long) == (
        "https://example.org/a#top:~:text=I%20write%20to%20resign,board%2C%20effective%20at%20once"
    )
    elided = "I write to resign […] at once"
    assert text_fragment_url("https://example.org/a", elided).endswith(
        "#:~:text=I%20write%20to%20resign,at%20once"
    )


WORD = st.text(alphabet="abcdefgh", min_size=1, max_size=6)
QUOTE_MARK = st.sampled_from(["'", "’", "‘", '"', "“", "”"])
SPACE = st.sampled_from([" ", "  ", "\n", "\t", " \n "])


@st.composite
def documents_and_cuts(draw):
    """A document of words, quote marks and whitespace, and a run of its words."""
    tokens = draw(st.lists(st.one_of(WORD, WORD.map(lambda w: f"“{w}”")), min_size=1))
    spaces = draw(st.lists(SPACE, min_size=len(tokens), max_size=len(tokens)))
    document = "".join(token + space for token, space in zip(tokens, spaces, strict=True))
    first = draw(st.integers(0, len(tokens) - 1))
    last = draw(st.integers(first, len(tokens) - 1))
    return document, tokens[first : last + 1]


@given(documents_and_cuts(), st.data())
def test_words_cut_from_a_document_are_always_found(cut, data):
    document, tokens = cut
    restyled = []
    for token in tokens:
        marks = data.draw(QUOTE_MARK)
        restyled.append(re.sub("[“”]", marks, token))
    spaces = data.draw(st.lists(SPACE, min_size=len(tokens), max_size=len(tokens)))
    words = "".join(t + s for t, s in zip(restyled, spaces, strict=True)).upper()
    assert find_in_document(words, document) is not None


@given(documents_and_cuts(), WORD, st.sampled_from("xyz"))
def test_words_not_in_a_document_are_never_found(cut, word, stranger):
    document, tokens = cut
    words = " ".join([*tokens, word + stranger])
    assert find_in_document(words, document) is None
    assert find_in_document(f"{tokens[0]} […] {stranger}", document) is None
