import json

import pytest
from django.test import Client
from django.urls import reverse

from articles.annotations import anchoring
from articles.models import Annotation, Article, Source

SPAN_MISMATCH = "This span no longer matches the article. Reload and select it again."


def urls(article):
    collection = reverse("admin:articles_article_annotations", args=[article.pk])
    return {
        "page": reverse("admin:articles_article_annotate", args=[article.pk]),
        "annotations": collection,
        "positions": reverse("admin:articles_article_annotation_positions", args=[article.pk]),
        "search": collection + "search/",
        "people": reverse("admin:articles_quick_person", args=[article.pk]),
        "sources": reverse("admin:articles_quick_source", args=[article.pk]),
    }


def post(client, url, payload):
    return client.post(url, json.dumps(payload), content_type="application/json")


def selection(article, words):
    text = article.plain_text
    start = text.index(words)
    return anchoring.describe(text, start, start + len(words))


@pytest.fixture
def letter(foote_story):
    return Source.objects.get(kind="document")


def new_quote(article, foote, letter, words="leaving his post immediately"):
    return {
        "kind": "quote",
        "selector": selection(article, words),
        "speaker": foote.pk,
        "source": letter.pk,
    }


def test_annotate_page_shows_the_body_with_highlights_and_the_screens_config(
    editor_client, foote_story
):
    response = editor_client.get(urls(foote_story)["page"])
    assert response.status_code == 200
    page = response.content.decode()
    quote = foote_story.annotations.get(kind="quote")
    assert f'data-annotation-id="{quote.pk}"' in page
    assert 'class="annotation annotation--claim"' in page
    assert '<script id="annotate-config" type="application/json">' in page
    assert "<script>" not in page


def test_change_page_offers_annotate_to_an_editor(editor_client, foote_story):
    Article.objects.filter(pk=foote_story.pk).update(status=Article.Status.IN_REVIEW)
    url = reverse("admin:articles_article_change", args=[foote_story.pk])
    assert urls(foote_story)["page"] in editor_client.get(url).content.decode()


def test_editor_creates_a_quote_and_gets_the_new_body_back(
    editor_client, foote_story, foote, letter
):
    response = post(
        editor_client, urls(foote_story)["annotations"], new_quote(foote_story, foote, letter)
    )
    assert response.status_code == 201, response.content
    created = response.json()["annotation"]
    assert created["exact"] == "leaving his post immediately"
    assert created["position"]["text"].startswith("U.S. Special Envoy for Haiti")
    assert f'data-annotation-id="{created["id"]}"' in response.json()["body_html"]
    quote = Annotation.objects.get(pk=created["id"])
    assert quote.speaker == foote and quote.source == letter
    assert quote.prefix.endswith("Antony Blinken that he was ")


def test_selector_the_server_cannot_find_is_refused_with_a_clear_message(
    editor_client, foote_story, foote, letter
):
    payload = new_quote(foote_story, foote, letter)
    payload["selector"]["exact"] = "leaving his job immediately"
    before = Annotation.objects.count()
    response = post(editor_client, urls(foote_story)["annotations"], payload)
    assert response.status_code == 400
    assert response.json()["message"] == SPAN_MISMATCH
    assert response.json()["errors"]["exact"] == [SPAN_MISMATCH]
    assert Annotation.objects.count() == before


def test_selector_from_a_stale_page_is_found_by_its_words_after_an_edit(
    editor_client, foote_story, foote, letter
):
    payload = new_quote(foote_story, foote, letter)
    foote_story.body = "<p>A new first paragraph.</p>" + foote_story.body
    foote_story.save()
    response = post(editor_client, urls(foote_story)["annotations"], payload)
    assert response.status_code == 201
    created = response.json()["annotation"]
    assert foote_story.plain_text[created["start"] : created["end"]] == payload["selector"]["exact"]


def test_quote_without_source_is_refused_with_the_message_on_the_source_field(
    editor_client, foote_story, foote, letter
):
    payload = new_quote(foote_story, foote, letter)
    payload["source"] = None
    response = post(editor_client, urls(foote_story)["annotations"], payload)
    assert response.status_code == 400
    assert response.json()["errors"]["source"] == [
        "A quote needs a source: say where the words come from."
    ]


def test_unknown_linked_id_is_refused_not_a_server_error(editor_client, foote_story, foote, letter):
    payload = new_quote(foote_story, foote, letter)
    payload["speaker"] = 999999
    response = post(editor_client, urls(foote_story)["annotations"], payload)
    assert response.status_code == 400
    assert "No person with id 999999" in response.json()["errors"]["speaker"][0]


def test_malformed_json_is_refused_with_a_message(editor_client, foote_story):
    response = editor_client.post(
        urls(foote_story)["annotations"], "{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert "not understood" in response.json()["message"]


def test_editor_changes_and_deletes_an_annotation(editor_client, foote_story):
    claim = foote_story.annotations.filter(kind="claim").first()
    item = f"{urls(foote_story)['annotations']}{claim.pk}/"
    response = post(editor_client, item, {"note": "Checked: CBP figures agree."})
    assert response.status_code == 200
    claim.refresh_from_db()
    assert claim.note == "Checked: CBP figures agree."
    response = editor_client.delete(item)
    assert response.status_code == 200
    assert not Annotation.objects.filter(pk=claim.pk).exists()


def test_orphan_is_reattached_to_a_new_selection(editor_client, foote_story):
    note = foote_story.annotations.get(kind="note")
    foote_story.body = foote_story.body.replace("Foote’s issued went", "His issues went")
    foote_story.save()
    note.refresh_from_db()
    assert note.is_orphaned
    item = f"{urls(foote_story)['annotations']}{note.pk}/"
    response = post(editor_client, item, {"selector": selection(foote_story, "His issues")})
    assert response.status_code == 200
    note.refresh_from_db()
    assert (note.exact, note.anchor_status) == ("His issues", "exact")


def test_annotation_of_another_article_cannot_be_reached_through_this_one(
    editor_client, foote_story
):
    other = Article.objects.create(headline="Other", slug="other", body="<p>Other words.</p>")
    claim = foote_story.annotations.filter(kind="claim").first()
    response = editor_client.delete(f"{urls(other)['annotations']}{claim.pk}/")
    assert response.status_code == 404
    assert Annotation.objects.filter(pk=claim.pk).exists()


def test_reporter_cannot_annotate_someone_elses_article(
    client, make_staff, foote_story, foote, letter
):
    client.force_login(make_staff("Reporter"))
    Article.objects.filter(pk=foote_story.pk).update(status=Article.Status.DRAFT)
    before = Annotation.objects.count()
    response = post(client, urls(foote_story)["annotations"], new_quote(foote_story, foote, letter))
    assert response.status_code == 403
    assert client.get(urls(foote_story)["page"]).status_code == 403
    assert Annotation.objects.count() == before


def test_reporter_annotates_their_own_draft(client, make_staff, foote_story, foote, letter):
    reporter = make_staff("Reporter")
    client.force_login(reporter)
    Article.objects.filter(pk=foote_story.pk).update(
        status=Article.Status.DRAFT, created_by=reporter
    )
    response = post(client, urls(foote_story)["annotations"], new_quote(foote_story, foote, letter))
    assert response.status_code == 201


def test_editor_annotates_a_published_article(editor_client, foote_story, foote, letter):
    response = post(
        editor_client, urls(foote_story)["annotations"], new_quote(foote_story, foote, letter)
    )
    assert response.status_code == 201


def test_post_without_csrf_token_is_refused(make_staff, foote_story, foote, letter):
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_staff("Publisher"))
    before = Annotation.objects.count()
    response = post(client, urls(foote_story)["annotations"], new_quote(foote_story, foote, letter))
    assert response.status_code == 403
    assert Annotation.objects.count() == before


def test_anonymous_visitor_is_sent_to_the_login_page(client, foote_story):
    response = client.get(urls(foote_story)["annotations"])
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_speaker_search_matches_aliases(editor_client, foote_story):
    response = editor_client.get(urls(foote_story)["search"] + "speaker/?term=President Biden")
    assert [r["text"] for r in response.json()["results"]] == [
        "Joe Biden (Biden, President Biden, President Joe Biden)"
    ]
    assert editor_client.get(urls(foote_story)["search"] + "nonsense/?term=x").status_code == 404


def test_positions_default_to_the_one_held_on_the_sources_date(
    editor_client, foote_story, foote, letter
):
    url = f"{urls(foote_story)['positions']}?speaker={foote.pk}&source={letter.pk}"
    payload = editor_client.get(url).json()
    envoy = foote.positions.get(title="U.S. Special Envoy for Haiti")
    assert payload["default"] == envoy.pk
    assert len(payload["positions"]) == 2


def test_new_person_and_source_are_added_without_leaving_the_screen(editor_client, foote_story):
    response = post(editor_client, urls(foote_story)["people"], {"name": "Jen Psaki"})
    assert response.status_code == 201
    assert response.json()["text"] == "Jen Psaki"
    response = post(
        editor_client,
        urls(foote_story)["sources"],
        {"kind": "anonymous", "title": "A State Department official"},
    )
    assert response.status_code == 400
    assert response.json()["errors"]["anonymity_justification"] == [
        "An anonymous source needs a justification: say why anonymity was granted."
    ]


def test_second_editor_changing_the_same_annotation_is_refused_then_can_save(
    client, make_staff, foote_story
):
    claim = foote_story.annotations.filter(kind="claim").first()
    item = f"{urls(foote_story)['annotations']}{claim.pk}/"
    first, second = Client(), Client()
    first.force_login(make_staff("Editor", "first"))
    second.force_login(make_staff("Editor", "second"))
    opened = second.get(urls(foote_story)["annotations"]).json()["annotations"]
    version = next(a["version"] for a in opened if a["id"] == claim.pk)

    assert post(first, item, {"note": "Checked with CBP.", "version": version}).status_code == 200
    response = post(second, item, {"note": "Still unverified.", "version": version})
    assert response.status_code == 409
    assert "Someone else changed this annotation" in response.json()["message"]
    assert response.json()["annotation"]["note"] == "Checked with CBP."
    claim.refresh_from_db()
    assert claim.note == "Checked with CBP."

    newer = response.json()["annotation"]["version"]
    assert post(second, item, {"note": "Still unverified.", "version": newer}).status_code == 200
    claim.refresh_from_db()
    assert claim.note == "Still unverified."
