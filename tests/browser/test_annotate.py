"""The Annotate screen, driven as an editor drives it: select words, describe them, save.

Each test logs in through the admin's login form and works on the Foote story, published as the
loader leaves it: attributing words already in the text changes none of them, so editors may.
"""

import re

import pytest
from playwright.sync_api import expect

from articles.models import Annotation, Article, Source
from articles.models.annotation import SPAN_MISMATCH
from people.models import Person, Position
from tests.conftest import publish_again

from .conftest import annotate_url

pytestmark = pytest.mark.browser

# The on-screen rectangle of the n-th occurrence of some words in the story, found through
# the plain text so that the words may cross highlights and other inline tags.
WORDS_BOX = """([words, occurrence]) => {
    const body = document.getElementById("annotate-body");
    const text = NewsroomPlainText.project(body).text;
    let at = -1;
    for (let seen = 0; seen < occurrence; seen += 1) at = text.indexOf(words, at + 1);
    const start = Array.from(text.slice(0, at)).length;  // code points, as offsets count
    const range = NewsroomPlainText.offsetsToRange(body, start, start + Array.from(words).length);
    range.startContainer.parentElement.scrollIntoView({block: "center"});
    const rects = range.getClientRects();
    const first = rects[0], last = rects[rects.length - 1];
    return {x1: first.left, y1: first.top + first.height / 2,
            x2: last.right, y2: last.top + last.height / 2};
}"""


def select_words(page, words, occurrence=1):
    """Select words in the story with a mouse drag, as an editor does."""
    box = page.evaluate(WORDS_BOX, [words, occurrence])
    page.mouse.move(box["x1"] + 1, box["y1"])
    page.mouse.down()
    page.mouse.move(box["x2"] - 1, box["y2"], steps=8)
    page.mouse.up()


def click_words(page, words, occurrence=1):
    box = page.evaluate(WORDS_BOX, [words, occurrence])
    page.mouse.click((box["x1"] + box["x2"]) / 2, box["y1"])


def open_annotate(page, live_server, article):
    page.goto(annotate_url(live_server, article))
    expect(page.locator("#annotate-list .annotate-count")).to_be_visible()  # the script ran
    return page


def choose(page, field, typed, option):
    """Type into an autocomplete field and pick the suggestion named `option`."""
    page.locator(f"#annotate-{field}").press_sequentially(typed, delay=15)
    page.get_by_role("option", name=option).click()


@pytest.fixture
def story(foote_article):
    assert foote_article.is_live
    return foote_article


def test_editor_quotes_a_word_and_readers_see_it_linked_to_the_speaker(
    browser, page, live_server, log_in, story
):
    # The UI must make the quote: take it out of the story and of its published version.
    Annotation.objects.filter(article=story, kind="quote").delete()
    Article.objects.filter(pk=story.pk).update(has_unpublished_changes=True)
    story = publish_again(Article.objects.get(pk=story.pk))
    log_in()
    open_annotate(page, live_server, story)

    select_words(page, "inhumane")
    expect(page.locator("#annotate-quote")).to_have_text("inhumane")
    page.select_option("#annotate-kind", "quote")
    choose(page, "speaker", "Foote", re.compile(r"^Daniel Foote"))
    choose(page, "source", "resignation letter", re.compile(r"^Daniel Foote’s resignation letter"))
    # The letter is dated 22 September 2021, Foote's last day as envoy.
    expect(page.locator("#annotate-position option:checked")).to_contain_text(
        "U.S. Special Envoy for Haiti"
    )
    page.get_by_role("button", name="Save").click()

    expect(page.locator("#annotate-messages")).to_have_text("Saved.")
    quote = Annotation.objects.get(article=story, kind="quote")
    assert (quote.exact, quote.speaker.slug) == ("inhumane", "daniel-foote")
    assert quote.source == Source.objects.get(kind="document")
    assert quote.position == Position.objects.get(title="U.S. Special Envoy for Haiti")
    highlight = f'#annotate-body .annotation--quote[data-annotation-id="{quote.pk}"]'
    expect(page.locator(highlight)).to_have_text("inhumane")
    expect(page.locator("#annotate-panel h2")).to_have_text("Edit quote")

    page.reload()
    expect(page.locator(highlight)).to_have_text("inhumane")

    reader = browser.new_context().new_page()  # not logged in
    reader.goto(f"{live_server.url}/articles/{story.slug}/")
    link = reader.locator(".story-body a.annotation--quote", has_text="inhumane")
    expect(link).to_have_count(0)  # readers see the quote once the change is published
    publish_again(Article.objects.get(pk=story.pk))
    reader.reload()
    expect(link).to_have_attribute("href", "/people/daniel-foote/")
    reader.context.close()


def test_selection_made_on_an_outdated_body_is_refused_with_the_message(
    page, live_server, log_in, story
):
    log_in()
    open_annotate(page, live_server, story)
    story.body = story.body.replace("inhumane", "cruel")  # someone edits the story meanwhile
    story.save()

    select_words(page, "inhumane")
    page.select_option("#annotate-kind", "note")
    page.fill("#annotate-note", "Check the wording of the letter.")
    page.get_by_role("button", name="Save").click()

    expect(page.locator("#annotate-messages")).to_have_text(SPAN_MISMATCH)
    expect(page.locator("#annotate-quote-error")).to_have_text(SPAN_MISMATCH)
    expect(page.locator("#annotate-note")).to_have_value("Check the wording of the letter.")
    assert not Annotation.objects.filter(article=story, kind="note", exact="inhumane").exists()


def test_click_on_nested_highlights_offers_them_innermost_first_then_deletes_one(
    page, live_server, log_in, story
):
    claim = Annotation.objects.get(article=story, exact="thousands of Haitians being deported")
    log_in()
    open_annotate(page, live_server, story)

    click_words(page, "being deported")
    picks = page.locator(".annotate-pick")
    expect(picks).to_have_count(2)
    expect(picks.first).to_contain_text("Claim to check")
    expect(picks.nth(1)).to_contain_text("Paraphrase — Associated Press")
    picks.first.click()
    expect(page.locator("#annotate-note")).to_have_value(claim.note)
    expect(page.locator(f'#annotate-body [data-annotation-id="{claim.pk}"]')).to_have_class(
        re.compile(r"\bis-open\b")
    )

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Delete").click()
    expect(page.locator("#annotate-messages")).to_contain_text("Deleted the claim to check")
    expect(page.locator(f'#annotate-body [data-annotation-id="{claim.pk}"]')).to_have_count(0)
    assert not Annotation.objects.filter(pk=claim.pk).exists()


def test_orphan_is_listed_first_and_reattached_to_a_new_selection(page, live_server, log_in, story):
    mention = Annotation.objects.get(article=story, exact="the Haitian president")
    story.body = story.body.replace(
        "the assassination of the Haitian president", "the killing of Jovenel Moïse"
    )
    story.save()
    mention.refresh_from_db()
    assert mention.is_orphaned
    log_in()
    open_annotate(page, live_server, story)

    first = page.locator("#annotate-list li").first
    expect(first).to_contain_text("Orphaned: its words were edited away")
    expect(first).to_contain_text("“the Haitian president”")
    select_words(page, "Jovenel Moïse")
    first.get_by_role("button", name="Re-attach to selection").click()

    expect(page.locator("#annotate-messages")).to_have_text("Re-attached.")
    expect(page.locator(f'#annotate-body [data-annotation-id="{mention.pk}"]')).to_have_text(
        "Jovenel Moïse"
    )
    expect(page.locator("#annotate-list")).not_to_contain_text("Orphaned")
    mention.refresh_from_db()
    assert (mention.exact, mention.anchor_status) == ("Jovenel Moïse", "exact")


def test_keyboard_alone_selects_annotates_and_picks_from_suggestions(
    page, live_server, log_in, story
):
    log_in()
    open_annotate(page, live_server, story)
    page.focus("#annotate-body")  # the caret starts at the story's first word
    for _ in range(3):
        page.keyboard.press("Control+Shift+ArrowRight")
    page.keyboard.press("Enter")

    expect(page.locator("#annotate-quote")).to_have_text("President Joe Biden’s")
    expect(page.locator("#annotate-kind")).to_be_focused()
    page.select_option("#annotate-kind", "mention")
    speaker = page.locator("#annotate-speaker")
    expect(speaker).to_be_hidden()
    person = page.locator("#annotate-mentioned-person")
    person.press_sequentially("President Biden", delay=15)
    expect(person).to_have_attribute("aria-expanded", "true")
    person.press("Escape")  # closes the suggestions, not the panel
    expect(person).to_have_attribute("aria-expanded", "false")
    expect(page.locator("#annotate-kind")).to_be_visible()
    person.press("ArrowDown")  # opens them again
    expect(person).to_have_attribute("aria-expanded", "true")
    person.press("ArrowDown")
    expect(person).to_have_attribute("aria-activedescendant", re.compile(r"option-0$"))
    person.press("Enter")
    expect(person).to_have_attribute("aria-expanded", "false")
    expect(person).to_have_value(re.compile(r"^Joe Biden"))
    person.press("Enter")  # with the suggestions closed, Enter submits

    expect(page.locator("#annotate-messages")).to_have_text("Saved.")
    saved = Annotation.objects.filter(article=story, kind="mention").latest("pk")
    assert (saved.exact, saved.mentioned_person.slug) == ("President Joe Biden’s", "joe-biden")


def test_new_person_and_anonymous_source_are_added_without_leaving_the_screen(
    page, live_server, log_in, story
):
    log_in()
    open_annotate(page, live_server, story)
    select_words(page, "lack of urgency")
    choose(page, "speaker", "Jane Newcomer", "Add a new person “Jane Newcomer”")
    expect(page.locator("#annotate-speaker")).to_have_value("Jane Newcomer")
    expect(page.locator("#annotate-position")).to_contain_text("No positions on record")
    choose(page, "source", "An aide", "Add a new source “An aide”…")
    expect(page.locator("#annotate-new-source-title")).to_have_value("An aide")
    page.select_option("#annotate-new-source-kind", "anonymous")
    page.get_by_role("button", name="Add source").click()
    expect(page.locator("#annotate-new-source-justification-error")).to_be_visible()
    page.fill("#annotate-new-source-justification", "The aide would lose their job.")
    page.get_by_role("button", name="Add source").click()
    expect(page.locator("#annotate-source")).to_have_value("An aide")
    page.get_by_role("button", name="Save").click()

    expect(page.locator("#annotate-messages")).to_have_text("Saved.")
    quote = Annotation.objects.get(article=story, exact="lack of urgency")
    assert quote.speaker == Person.objects.get(name="Jane Newcomer")
    assert quote.source.anonymity_justification == "The aide would lose their job."


def test_annotation_changed_by_someone_else_meanwhile_is_not_overwritten(
    page, live_server, log_in, story
):
    claim = Annotation.objects.get(article=story, exact="a peak of about 15,000 last week")
    log_in()
    open_annotate(page, live_server, story)
    click_words(page, "about 15,000")
    expect(page.locator("#annotate-note")).to_have_value(claim.note)

    claim.note = "Checked: CBP counted 14,872 at the peak."  # another editor, meanwhile
    claim.save()
    page.locator("#annotate-note").fill("Ask the AP for its source.")
    page.get_by_role("button", name="Save").click()

    expect(page.locator("#annotate-messages")).to_contain_text(
        "Someone else changed this annotation while you were editing it"
    )
    expect(page.locator("#annotate-messages")).to_contain_text(
        "note: “Checked: CBP counted 14,872 at the peak.”"
    )
    expect(page.locator("#annotate-note")).to_have_value("Ask the AP for its source.")
    claim.refresh_from_db()
    assert claim.note == "Checked: CBP counted 14,872 at the peak."

    page.get_by_role("button", name="Save").click()  # having seen theirs, keep mine
    expect(page.locator("#annotate-messages")).to_have_text("Saved.")
    claim.refresh_from_db()
    assert claim.note == "Ask the AP for its source."
