"""Readers see the right marks: quotation marks around quotes only, footnote markers after the
closing quotation mark, quote snippets cut at word boundaries, and no source named twice."""

import html
import re

import pytest

from articles.annotations import anchoring
from articles.models import Source
from articles.publishing.story import context_after, context_before, same_words

ARTICLE_URL = "/articles/us-envoy-to-haiti-resigns-over-inhumane-deportations/"
MARKER_1 = '<sup class="annotation-ref"><a href="#quote-note-1">1</a></sup>'


def reader_text(fragment: str) -> str:
    """What a reader reads of some HTML: its text, entities decoded, spaces collapsed."""
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())
    return re.sub(r" ([.,])", r"\1", text)


def section(page: str, css_class: str) -> str:
    found = re.search(rf'<section class="{css_class}".*?</section>', page, re.S)
    assert found, f"no {css_class} section"
    return found.group(0)


def quoted_items(page: str) -> list[str]:
    """The entries of "Who is quoted", as a reader reads them."""
    return [reader_text(item) for item in quoted_html(page)]


def quoted_html(page: str) -> list[str]:
    return re.findall(r"<li id=\"quote-note-\d+\">.*?</li>", section(page, "quoted"), re.S)


def snippets(page: str) -> list[str]:
    """The quote cards' quotations (context and words), as a reader reads them."""
    quotes = re.findall(r"<blockquote><p>(.*?)</p></blockquote>", page, re.S)
    return [html.unescape(re.sub(r"<[^>]+>", "", quote)) for quote in quotes]


def figcaptions(page: str) -> list[str]:
    return [reader_text(c) for c in re.findall(r"<figcaption>(.*?)</figcaption>", page, re.S)]


@pytest.fixture
def article_page(client, foote_story) -> str:
    response = client.get(ARTICLE_URL)
    assert response.status_code == 200
    return response.content.decode()


# --- Who is quoted: quotation marks for quotes only ----------------------------------------


def test_who_is_quoted_puts_a_quote_in_quotation_marks(article_page):
    assert quoted_items(article_page)[0].startswith(
        "Quote “inhumane” — Daniel Foote, U.S. Special Envoy for Haiti, U.S. Department of State."
    )


def test_who_is_quoted_gives_paraphrases_as_paraphrases_without_quotation_marks(article_page):
    items = quoted_items(article_page)
    assert items[1].startswith(
        "Paraphrase He wrote to Secretary of State Antony Blinken that he was leaving his post "
        "immediately. — paraphrasing Daniel Foote, U.S. Special Envoy for Haiti"
    )
    assert items[3].startswith(
        "Paraphrase The burgeoning crisis in the Texas border town of Del Rio, which has led to "
        "thousands of Haitians being deported, reportedly pushed him to the breaking point. — "
        "paraphrasing Associated Press. Source: Associated Press report"
    )
    for item in items[1:]:
        assert item.startswith("Paraphrase ")
        assert not re.search("[“”]", item.split(" — ")[0]), item
    assert "“He wrote to Secretary of State" not in reader_text(article_page)


# --- Footnote markers after the closing quotation mark -------------------------------------


def test_the_quotes_footnote_marker_follows_its_closing_quotation_mark(article_page):
    body = re.search(r'<div class="story-body">(.*?)</div>', article_page, re.S).group(1)
    assert f"inhumane</a>”{MARKER_1} deportation" in body
    assert f"inhumane</a>{MARKER_1}" not in body
    # As a reader reads it: “inhumane”1, not “inhumane1”.
    assert "the “inhumane”1 deportation" in re.sub(r"<[^>]+>", "", body)


# --- Snippets cut at word boundaries -------------------------------------------------------


def assert_whole_words_of(text: str, snippet: str):
    """Each run of the snippet between ellipses is whole words of ``text``: neither end cuts a
    word short."""
    for run in snippet.split("…"):
        run = run.strip()
        if run:
            assert re.search(rf"(?<!\w){re.escape(run)}(?!\w)", text), run


def test_person_page_snippets_are_cut_at_word_boundaries_with_an_ellipsis(client, foote_story):
    page = client.get("/people/daniel-foote/").content.decode()
    found = snippets(page)
    assert found[0] == "…over what he called the “inhumane” deportation of Haitian…"
    # The paraphrase ends its paragraph: its context stops there, with no ellipsis.
    assert found[1] == (
        "(paraphrased) …the country into chaos. He wrote to Secretary of State Antony Blinken "
        "that he was leaving his post immediately."
    )
    assert "…sition" not in page and "migrant…" not in page
    text = anchoring.plain_text(foote_story.body)
    for snippet in found:
        assert_whole_words_of(text, snippet.removeprefix("(paraphrased) "))


@pytest.mark.parametrize("slug", ["associated-press", "biden-administration"])
def test_organization_page_snippets_are_cut_at_word_boundaries(client, foote_story, slug):
    page = client.get(f"/organizations/{slug}/").content.decode()
    found = snippets(page)
    assert found
    text = anchoring.plain_text(foote_story.body)
    for snippet in found:
        assert_whole_words_of(text, snippet.removeprefix("(paraphrased) "))


# --- No source named twice -----------------------------------------------------------------


def test_an_unnamed_speaker_described_by_the_source_is_not_repeated(article_page):
    source = Source.objects.get(title="Sources within the Biden Administration")
    items = quoted_items(article_page)
    assert items[4] == (
        "Paraphrase Foote’s issued went beyond frustration over what he felt was a lack of "
        "urgency to provide aid to Haiti. — paraphrasing Sources within the Biden "
        "Administration. ↩"
    )
    # The description still leads to the source, and the reason for its anonymity.
    assert (
        f'<a href="#source-{source.pk}">Sources within the Biden Administration</a>.'
        in quoted_html(article_page)[4]
    )
    text = reader_text(article_page)
    assert "Source: Sources within the Biden Administration" not in text
    assert "Why we granted anonymity: The officials were not authorised" in text
    # Other sources are still named.
    assert items[0].endswith(
        "Source: Daniel Foote’s resignation letter to Secretary of State Antony Blinken. ↩"
    )


def test_organization_page_names_an_anonymous_source_once(client, foote_story):
    page = client.get("/organizations/biden-administration/").content.decode()
    assert figcaptions(page) == [
        "Sources within the Biden Administration, in U.S. envoy to Haiti resigns over "
        "“inhumane” deportations from Del Rio."
    ]


def test_person_page_still_names_a_quotes_source(client, foote_story):
    page = client.get("/people/daniel-foote/").content.decode()
    for caption in figcaptions(page):
        assert caption.endswith(
            "Source: Daniel Foote’s resignation letter to Secretary of State Antony Blinken."
        )


# --- The published page and the working copy's preview read the same ----------------------


def test_the_working_copy_preview_shows_the_same_marks_as_the_published_page(
    client, editor_client, foote_story
):
    published = client.get(ARTICLE_URL).content.decode()
    preview = editor_client.get(f"{ARTICLE_URL}?working=1").content.decode()
    assert "Preview: this article is" in preview
    for part in ("quoted", "sources"):
        assert section(preview, part) == section(published, part)
    body = r'<div class="story-body">.*?</div>'
    assert re.search(body, preview, re.S).group(0) == re.search(body, published, re.S).group(0)


# --- The helpers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "prefix,start,expected",
    [
        ("sition over what he called the “", 150, "…over what he called the “"),
        # Cut at a space: the first word is whole.
        (" over what he called the “", 150, "…over what he called the “"),
        # The context reaches the text's start: nothing cut.
        ("He said ", 8, "He said "),
        # Only the quote's paragraph, from its start.
        ("chaos.\n\nAccording to the ", 500, "According to the "),
        # Runs of spaces read as one.
        ("called  the\u00a0“", 150, "…the “"),
        # Nothing whole left: the ellipsis alone says words were left out.
        ("abcdefghijklmnopqrstuvwxyzabcdef", 150, "…"),
        ("", 0, ""),
    ],
)
def test_context_before(prefix, start, expected):
    assert context_before(prefix, start) == expected


@pytest.mark.parametrize(
    "suffix,expected",
    [
        ("” deportation of Haitian migrant", "” deportation of Haitian…"),
        ("” deportation of Haitian migrants ", "” deportation of Haitian migrants…"),
        # Shorter than the stored context: the text ends there, nothing cut.
        (" ideals.", " ideals."),
        (" immediately.\n\nAccording to the Associated Pr", " immediately."),
        ("\n\nAccording to the Associated Pr", ""),
        ("", ""),
    ],
)
def test_context_after(suffix, expected):
    assert len("” deportation of Haitian migrant") == anchoring.CONTEXT_SIZE
    assert context_after(suffix) == expected


@pytest.mark.parametrize(
    "first,second,same",
    [
        ("Sources within the Biden Administration", "Sources within the Biden Administration", 1),
        ("Sources within the  Biden administration.", "sources within the Biden Administration", 1),
        ("Associated Press", "Associated Press report on Daniel Foote’s frustration", 0),
        ("", "", 0),
    ],
)
def test_same_words(first, second, same):
    assert same_words(first, second) is bool(same)
