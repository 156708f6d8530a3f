"""Suggestions on the Annotate screen, as an editor goes through them: suggest, then accept,
edit then accept, or reject each one, on the Foote story without its hand-made quote."""

import re

import pytest
from playwright.sync_api import expect

from articles.models import Annotation, RejectedSuggestion, Source
from articles.models.annotation import SOURCE_REQUIRED
from people.models import Position

from .test_annotate import choose, click_words, open_annotate

pytestmark = pytest.mark.browser

APPROACH = "the administration’s approach to the troubled island nation"


@pytest.fixture
def story(foote_article):
    foote_article.annotations.filter(kind="quote").delete()
    return foote_article


def suggest(page):
    page.get_by_role("button", name="Suggest", exact=True).click()
    expect(page.locator("#annotate-messages")).to_have_text("2 suggestions.")
    expect(page.locator("#annotate-body .annotation--suggestion")).to_have_count(2)


def test_editor_rejects_one_suggestion_and_accepts_a_quote_giving_its_source(
    page, live_server, log_in, story
):
    log_in()
    open_annotate(page, live_server, story)
    suggest(page)

    click_words(page, "troubled island nation")
    expect(page.locator("#annotate-panel h2")).to_have_text("Suggested paraphrase")
    expect(page.locator("#annotate-panel dd").nth(1)).to_have_text("Daniel Foote")
    page.get_by_role("button", name="Reject", exact=True).click()
    expect(page.locator("#annotate-messages")).to_contain_text("will not be suggested again")
    expect(page.locator("#annotate-body .annotation--suggestion")).to_have_count(1)
    assert RejectedSuggestion.objects.get(article=story).exact == APPROACH

    page.locator("#annotate-suggestions").get_by_role("button", name=re.compile("inhumane")).click()
    expect(page.locator("#annotate-panel dd").nth(2)).to_contain_text(
        "U.S. Special Envoy for Haiti"
    )
    page.get_by_role("button", name="Accept", exact=True).click()
    # A quote needs a source, which the suggestion cannot know: the panel asks for it.
    expect(page.locator('[data-field="source"] .annotate-error')).to_have_text(SOURCE_REQUIRED)
    expect(page.locator("#annotate-speaker")).to_have_value("Daniel Foote")
    choose(page, "source", "resignation letter", re.compile(r"^Daniel Foote’s resignation letter"))
    page.get_by_role("button", name="Save").click()

    expect(page.locator("#annotate-messages")).to_have_text("Saved.")
    quote = Annotation.objects.get(article=story, kind="quote")
    assert (quote.exact, quote.speaker.slug) == ("inhumane", "daniel-foote")
    assert quote.source == Source.objects.get(kind="document")
    assert quote.position == Position.objects.get(title="U.S. Special Envoy for Haiti")
    expect(page.locator("#annotate-body .annotation--suggestion")).to_have_count(0)
    expect(page.locator("#annotate-suggestions")).to_contain_text("Nothing to suggest.")


def test_editor_edits_a_suggested_paraphrase_then_accepts_it(page, live_server, log_in, story):
    log_in()
    open_annotate(page, live_server, story)
    suggest(page)

    page.locator("#annotate-suggestions").get_by_role("button", name=re.compile("troubled")).click()
    page.get_by_role("button", name="Edit, then accept").click()
    expect(page.locator("#annotate-kind")).to_have_value("paraphrase")
    expect(page.locator("#annotate-speaker")).to_have_value("Daniel Foote")
    expect(page.locator("#annotate-position option:checked")).to_contain_text(
        "U.S. Special Envoy for Haiti"
    )
    choose(page, "source", "resignation letter", re.compile(r"^Daniel Foote’s resignation letter"))
    page.get_by_role("button", name="Save").click()

    expect(page.locator("#annotate-messages")).to_have_text("Saved.")
    paraphrase = Annotation.objects.get(article=story, exact=APPROACH)
    assert paraphrase.kind == "paraphrase" and paraphrase.speaker.slug == "daniel-foote"
    assert paraphrase.source == Source.objects.get(kind="document")
    expect(page.locator("#annotate-body .annotation--suggestion")).to_have_count(1)
