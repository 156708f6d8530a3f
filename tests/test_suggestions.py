"""The attribution assistant on the Annotate screen: suggestions resolved to the newsroom's
people, accepted through the annotate service, rejected for good, and shown to no one else."""

import json
import time

import pytest
from django.urls import reverse
from reversion.models import Revision

from articles.annotations import anchoring
from articles.annotations.suggestions import NO_SPEAKER
from articles.models import Annotation, Article, RejectedSuggestion
from articles.models.annotation import SOURCE_REQUIRED
from people.models import Person


def urls(article):
    return {
        "suggestions": reverse("admin:articles_article_suggestions", args=[article.pk]),
        "rejections": reverse("admin:articles_article_suggestion_rejections", args=[article.pk]),
        "acceptances": reverse("admin:articles_article_suggestion_acceptances", args=[article.pk]),
        "annotations": reverse("admin:articles_article_annotations", args=[article.pk]),
    }


def post(client, url, payload):
    body = payload if isinstance(payload, str | bytes) else json.dumps(payload)
    return client.post(url, body, content_type="application/json")


def suggested(client, article) -> dict:
    response = client.get(urls(article)["suggestions"])
    assert response.status_code == 200, response.content
    return {s["exact"]: s for s in response.json()["suggestions"]}


@pytest.fixture
def story(foote_story):
    """The Foote story without its hand-made quote, so that "inhumane" is suggested again."""
    foote_story.annotations.filter(kind="quote").delete()
    return foote_story


def test_inhumane_is_suggested_as_a_quote_by_daniel_foote_in_his_position(
    editor_client, story, foote
):
    inhumane = suggested(editor_client, story)["inhumane"]
    assert inhumane["kind"] == "quote"
    assert inhumane["speaker"] == {"id": foote.pk, "text": "Daniel Foote"}
    assert inhumane["position"]["text"].startswith("U.S. Special Envoy for Haiti")
    assert story.plain_text[inhumane["start"] : inhumane["end"]] == "inhumane"
    assert 0 < inhumane["confidence"] <= 1


def test_suggestions_are_dashed_highlights_in_the_body_the_editor_gets(editor_client, story):
    answer = editor_client.get(urls(story)["suggestions"]).json()
    key = suggested(editor_client, story)["inhumane"]["key"]
    assert f'data-suggestion="{key}"' in answer["body_html"]
    assert 'class="annotation annotation--suggestion"' in answer["body_html"]


def test_an_annotated_span_is_not_suggested(editor_client, foote_story):
    # The loaded story quotes "inhumane" already; its paraphrases cover the others.
    found = suggested(editor_client, foote_story)
    assert "inhumane" not in found
    assert "that he was leaving his post immediately" not in found


def test_a_speaker_named_by_an_alias_is_resolved_to_the_person(editor_client, story):
    foote = Person.objects.get(slug="daniel-foote")
    Person.objects.filter(pk=foote.pk).update(name="Daniel L. Foote", aliases="Daniel Foote")
    assert suggested(editor_client, story)["inhumane"]["speaker"]["id"] == foote.pk


def test_an_unknown_speaker_is_named_but_no_person_is_created(editor_client, story):
    Person.objects.filter(slug="daniel-foote").update(name="D. Foote", aliases="")
    people = Person.objects.count()
    inhumane = suggested(editor_client, story)["inhumane"]
    assert inhumane["speaker"] is None and inhumane["speaker_name"] == "Daniel Foote"
    assert Person.objects.count() == people


def test_rejected_suggestion_is_not_suggested_again(editor_client, story):
    inhumane = suggested(editor_client, story)["inhumane"]
    selector = {k: inhumane[k] for k in ("exact", "prefix", "suffix", "start", "end")}
    response = post(
        editor_client, urls(story)["rejections"], {"kind": "quote", "selector": selector}
    )
    assert response.status_code == 201, response.content
    assert "inhumane" not in {s["exact"] for s in response.json()["suggestions"]}
    assert "inhumane" not in suggested(editor_client, story)
    assert RejectedSuggestion.objects.get(article=story).exact == "inhumane"


@pytest.mark.parametrize(
    "payload",
    [
        b"not json",
        "[]",
        {"kind": "quote"},
        {"kind": 7, "selector": {"exact": "inhumane"}},
        {"kind": "quote", "selector": {"exact": "", "start": -1}},
        {"kind": "quote", "selector": {"exact": "inhumane", "start": "x"}},
        {"kind": "mention", "selector": {"exact": "inhumane"}},
        {"kind": "quote", "selector": {"exact": "not in the story"}},
        {"kind": "quote", "selector": {"exact": "inhumane"}, "speaker": 1},
    ],
)
def test_junk_rejections_are_refused_with_a_message(editor_client, story, payload):
    response = post(editor_client, urls(story)["rejections"], payload)
    assert response.status_code == 400
    assert response.json()["message"]
    assert not RejectedSuggestion.objects.exists()


@pytest.mark.parametrize(
    "payload",
    [b"{", {}, {"min_confidence": "0.8"}, {"min_confidence": True}, {"min_confidence": 2}],
)
def test_junk_acceptances_are_refused_with_a_message(editor_client, story, payload):
    before = Annotation.objects.count()
    response = post(editor_client, urls(story)["acceptances"], payload)
    assert response.status_code == 400
    assert response.json()["message"]
    assert Annotation.objects.count() == before


def test_accept_all_creates_annotations_through_the_service_and_says_what_it_skipped(
    editor_client, story, make_staff
):
    story.annotations.filter(kind="paraphrase").delete()
    found = suggested(editor_client, story)
    revisions = Revision.objects.count()
    response = post(editor_client, urls(story)["acceptances"], {"min_confidence": 0.6})
    assert response.status_code == 200, response.content
    answer = response.json()
    created = Annotation.objects.filter(article=story, kind="paraphrase")
    assert answer["accepted"] == created.count() > 0
    assert Revision.objects.count() == revisions + answer["accepted"]
    foote_paraphrase = created.get(
        exact=found["the administration’s approach to the troubled island nation"]["exact"]
    )
    assert foote_paraphrase.speaker.slug == "daniel-foote"
    assert foote_paraphrase.created_by.username == "editor"
    assert str(foote_paraphrase.position).startswith("U.S. Special Envoy for Haiti")
    # A quote needs a source, which no suggestion knows: skipped, and the message says why.
    assert not Annotation.objects.filter(article=story, kind="quote").exists()
    assert answer["skipped"] >= 1
    assert SOURCE_REQUIRED.rstrip(".").split(":")[0].lower() in answer["message"].lower()
    assert NO_SPEAKER.split(":")[0] in answer["message"]
    # What was accepted is no longer suggested.
    left = {(s["kind"], s["exact"]) for s in answer["suggestions"]}
    assert all(("paraphrase", a.exact) not in left for a in created)


def test_accept_all_above_a_high_confidence_accepts_nothing_lower(editor_client, story):
    before = Annotation.objects.count()
    answer = post(editor_client, urls(story)["acceptances"], {"min_confidence": 1}).json()
    assert answer["accepted"] == 0 and Annotation.objects.count() == before
    assert answer["message"] == "Accepted 0 suggestions."


def test_accepting_one_is_the_ordinary_save_which_asks_a_quote_for_its_source(
    editor_client, story, foote
):
    inhumane = suggested(editor_client, story)["inhumane"]
    selector = {k: inhumane[k] for k in ("exact", "prefix", "suffix", "start", "end")}
    payload = {"kind": "quote", "selector": selector, "speaker": foote.pk}
    response = post(editor_client, urls(story)["annotations"], payload)
    assert response.status_code == 400
    assert response.json()["errors"]["source"] == [SOURCE_REQUIRED]


def test_a_reporter_without_rights_gets_403_everywhere(client, make_staff, story):
    client.force_login(make_staff("Reporter"))  # not the story's author
    assert client.get(urls(story)["suggestions"]).status_code == 403
    payload = {"kind": "quote", "selector": {"exact": "inhumane"}}
    assert post(client, urls(story)["rejections"], payload).status_code == 403
    assert post(client, urls(story)["acceptances"], {"min_confidence": 0}).status_code == 403
    assert not RejectedSuggestion.objects.exists()


def test_suggestions_are_never_shown_to_readers(client, story):
    published = client.get(story.get_absolute_url()).content.decode()
    assert "annotation--suggestion" not in published
    response = client.get(urls(story)["suggestions"])
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_suggest_answers_a_2000_word_story_quickly_in_a_fixed_number_of_queries(
    editor_client, story, django_assert_max_num_queries
):
    paragraphs = story.body
    while len(anchoring.plain_text(story.body).split()) < 2000:
        story.body += paragraphs
    Article.objects.filter(pk=story.pk).update(body=story.body)
    editor_client.get(urls(story)["suggestions"])  # warm: the first request reads the session
    started = time.perf_counter()
    with django_assert_max_num_queries(14):
        response = editor_client.get(urls(story)["suggestions"])
    elapsed = time.perf_counter() - started
    assert len(response.json()["suggestions"]) > 20
    # Generous beside the 200 ms it takes, so that a slow machine does not fail it.
    assert elapsed < 1.0
