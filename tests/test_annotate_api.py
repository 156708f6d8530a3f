import json

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reversion.models import Revision

from articles.annotations import anchoring
from articles.models import Annotation, Article, Source
from people.models import Person

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


# Input the screen never sends: refused with 400 and a sentence, nothing written.

NESTED = b"[" * 100_000 + b"]" * 100_000


def written():
    """Everything an annotate request may write, to show that a refused one wrote nothing."""
    return (
        list(Annotation.objects.order_by("pk").values()),
        Revision.objects.count(),
        Person.objects.count(),
        Source.objects.count(),
    )


def send(client, url, body: bytes):
    return client.post(url, body, content_type="application/json")


def dumped(payload) -> bytes:
    # ensure_ascii writes a lone surrogate as the escape "\ud800", as a browser would.
    return json.dumps(payload, ensure_ascii=True).encode()


def assert_refused(response, field=None):
    assert response.status_code == 400, response.content
    answer = response.json()
    assert isinstance(answer["errors"], dict)
    message = answer["message"]
    assert isinstance(message, str) and message.endswith(".") and len(message) > 30
    if field is not None:
        assert answer["errors"][field], answer


@pytest.mark.parametrize(
    "body, field",
    [
        (dumped({"note": 5}), "note"),
        (dumped({"note": ["a list"]}), "note"),
        (dumped({"article": 1}), "__all__"),
        (dumped({"user": 1, "note": "ok"}), "__all__"),
        (dumped({"speaker": "²"}), "speaker"),
        (dumped({"speaker": "١٢"}), "speaker"),
        (dumped({"speaker": True}), "speaker"),
        (dumped({"speaker": 10**30}), "speaker"),
        (dumped({"speaker": {"id": 1}}), "speaker"),
        (dumped({"note": "\ud800 a lone surrogate"}), "note"),
        (dumped({"\udfff": 1}), "__all__"),
        (dumped({"note": "a null\x00character"}), "note"),
        (dumped({"kind": ["quote"]}), "kind"),
        (dumped({"version": 3}), "version"),
        (dumped({"selector": "the words"}), "exact"),
        (dumped({"selector": {"exact": 5}}), "exact"),
        (dumped({"selector": {"exact": "x", "start": "0"}}), "exact"),
        (dumped({"selector": {"exact": "x", "article": 1}}), "exact"),
        (b'{"note": "\xff\xfe"}', None),
        (b'{"note": NaN}', None),
        (b'["a list"]', None),
        (b'{"note": ', None),
        (NESTED, None),
        (b'{"note": ' + NESTED + b"}", None),
    ],
)
def test_an_edit_the_screen_never_sends_is_refused_and_changes_nothing(
    editor_client, foote_story, body, field
):
    claim = foote_story.annotations.filter(kind="claim").first()
    item = f"{urls(foote_story)['annotations']}{claim.pk}/"
    before = written()
    assert_refused(send(editor_client, item, body), field)
    assert written() == before


@pytest.mark.parametrize(
    "extra, field",
    [
        ({"article": 1}, "__all__"),
        ({"version": "1"}, "__all__"),  # a new annotation has no version
        ({"note": 5}, "note"),
        ({"source": "²"}, "source"),
        ({"speaker_description": "\udc80"}, "speaker_description"),
        ({"selector": None}, "exact"),
        ({"selector": {"exact": ""}}, "exact"),
    ],
)
def test_a_new_annotation_the_screen_never_sends_is_refused_and_changes_nothing(
    editor_client, foote_story, foote, letter, extra, field
):
    before = written()
    payload = {**new_quote(foote_story, foote, letter), **extra}
    assert_refused(send(editor_client, urls(foote_story)["annotations"], dumped(payload)), field)
    assert written() == before


def test_refusals_say_what_to_do(editor_client, foote_story, foote, letter):
    claim = foote_story.annotations.filter(kind="claim").first()
    item = f"{urls(foote_story)['annotations']}{claim.pk}/"
    answer = send(editor_client, item, dumped({"note": 5})).json()
    assert answer == {
        "message": "The note was not sent as text. Reload the page and enter it again.",
        "errors": {"note": ["The note was not sent as text. Reload the page and enter it again."]},
    }
    answer = send(editor_client, item, dumped({"speaker": "²"})).json()
    assert answer["errors"]["speaker"] == [
        "No person is named by “²”: choose the person again from the suggestions."
    ]
    answer = send(editor_client, item, dumped({"article": 1})).json()
    assert answer["message"] == (
        "The request holds fields the Annotate screen does not send (“article”). "
        "Reload the page and try again."
    )
    answer = send(editor_client, item, NESTED).json()
    assert "nested too deeply" in answer["message"] and answer["errors"] == {}


def test_ids_sent_as_digits_still_work(editor_client, foote_story, foote, letter):
    payload = {**new_quote(foote_story, foote, letter), "speaker": str(foote.pk)}
    response = send(editor_client, urls(foote_story)["annotations"], dumped(payload))
    assert response.status_code == 201, response.content
    assert Annotation.objects.get(pk=response.json()["annotation"]["id"]).speaker == foote


def test_quick_additions_refuse_what_cannot_be_stored(editor_client, foote_story):
    before = written()
    assert_refused(
        send(editor_client, urls(foote_story)["people"], dumped({"name": "\ud800"})), "name"
    )
    assert_refused(send(editor_client, urls(foote_story)["people"], dumped({"name": 5})), "name")
    assert_refused(send(editor_client, urls(foote_story)["people"], NESTED))
    source = {"kind": "document", "title": "A letter", "url": "", "surprise": 1}
    assert_refused(send(editor_client, urls(foote_story)["sources"], dumped(source)), "__all__")
    assert written() == before


def test_lookups_ignore_ids_and_terms_that_name_nothing(editor_client, foote_story):
    for speaker in ("²", "١", "9" * 5000, "-1", "\x00"):
        response = editor_client.get(urls(foote_story)["positions"], {"speaker": speaker})
        assert response.json() == {"positions": [], "default": None}
    response = editor_client.get(urls(foote_story)["search"] + "speaker/", {"term": "Foo\x00te"})
    assert response.status_code == 200


# A hostile or broken client, fuzzed: no answer is a server error, and a refusal writes nothing.

# Strings as such a client may send them: lone surrogates, nulls, digits of other scripts.
HOSTILE_TEXT = st.one_of(
    st.text(st.characters(exclude_categories=[]), max_size=12),
    st.sampled_from(["", "quote", "claim", "note", "²", "١٢", "7", "0", "-1", "\x00", "\ud800"]),
)
KEYS = st.one_of(
    st.sampled_from(
        [
            "kind",
            "selector",
            "note",
            "speaker_description",
            "speaker",
            "speaker_organization",
            "position",
            "source",
            "mentioned_person",
            "mentioned_organization",
            "mentioned_place",
            "version",
            "exact",
            "prefix",
            "suffix",
            "start",
            "end",
            "name",
            "title",
            "url",
            "article",
            "user",
        ]
    ),
    HOSTILE_TEXT,
)
JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats()
    | HOSTILE_TEXT,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(KEYS, children, max_size=4),
    max_leaves=12,
)


@st.composite
def hostile_bodies(draw):
    shape = draw(st.sampled_from(["object", "value", "bytes", "nested", "cut"]))
    if shape == "bytes":
        return draw(st.binary(max_size=40))
    if shape == "nested":
        depth = draw(st.integers(min_value=1, max_value=100_000))
        return b"[" * depth + b"]" * depth
    payload = draw(JSON_VALUES if shape == "value" else st.dictionaries(KEYS, JSON_VALUES))
    body = json.dumps(payload, ensure_ascii=True).encode()  # NaN and Infinity as JS writes none
    if shape == "cut":
        body = body[: draw(st.integers(min_value=0, max_value=len(body)))]
    return body


@settings(
    max_examples=500,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(endpoint=st.sampled_from(["create", "change", "person", "source"]), body=hostile_bodies())
def test_property_no_payload_makes_a_server_error(editor_client, foote_story, endpoint, body):
    claim = foote_story.annotations.filter(kind="claim").first()
    url = {
        "create": urls(foote_story)["annotations"],
        "change": f"{urls(foote_story)['annotations']}{claim.pk}/",
        "person": urls(foote_story)["people"],
        "source": urls(foote_story)["sources"],
    }[endpoint]
    before = written()
    response = send(editor_client, url, body)
    assert response.status_code in (200, 201, 400, 409), response.content
    if response.status_code in (400, 409):
        assert isinstance(response.json()["message"], str) and response.json()["message"]
        assert written() == before
