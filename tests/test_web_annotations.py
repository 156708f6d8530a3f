import io
import json

import pytest
from django.core.management import CommandError, call_command

from articles.annotations.w3c import MEDIA_TYPE
from articles.editorial import workflow
from articles.editorial.revisions import revisions_of
from articles.models import Article

URL = "/articles/us-envoy-to-haiti-resigns-over-inhumane-deportations/annotations.jsonld"
VOLATILE = ("id", "created", "modified")


def items(response):
    return response.json()["first"]["items"]


def stable(item):
    return {key: value for key, value in item.items() if key not in VOLATILE}


def test_readers_get_the_public_annotations_as_a_w3c_collection(client, foote_story):
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == MEDIA_TYPE
    document = response.json()
    assert document["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert document["type"] == "AnnotationCollection"
    kinds = {
        body["value"]
        for item in items(response)
        for body in item["body"]
        if body["purpose"] == "classifying"
    }
    assert kinds == {"quote", "paraphrase", "mention"}
    quote = next(i for i in items(response) if {"purpose": "classifying", "type": "TextualBody",
                                                  "value": "quote"} in i["body"])  # fmt: skip
    assert quote["motivation"] == "identifying"
    assert {
        "type": "SpecificResource",
        "purpose": "identifying",
        "source": "http://testserver/people/daniel-foote/",
    } in quote["body"]
    selectors = {s["type"]: s for s in quote["target"]["selector"]}
    assert selectors["TextQuoteSelector"]["exact"] == "inhumane"
    assert (
        selectors["TextPositionSelector"]["end"] - selectors["TextPositionSelector"]["start"] == 8
    )


def test_staff_get_every_annotation_including_claims_and_notes(admin_client, foote_story):
    assert len(items(admin_client.get(URL))) == foote_story.annotations.count()


def test_unpublished_article_has_no_public_annotations(client, foote_story):
    workflow.unpublish(foote_story, None)
    assert client.get(URL).status_code == 404


def test_exported_collection_imports_back_identically(admin_client, foote_story, tmp_path):
    exported = admin_client.get(URL)
    path = tmp_path / "foote.jsonld"
    path.write_text(exported.content.decode(), encoding="utf-8")
    foote_story.annotations.all().delete()
    call_command("import_annotations", foote_story.slug, str(path), stdout=io.StringIO())
    again = admin_client.get(URL)
    assert [stable(i) for i in items(again)] == [stable(i) for i in items(exported)]


def test_import_of_words_not_in_the_body_imports_nothing(admin_client, foote_story, tmp_path):
    document = admin_client.get(URL).json()
    document["first"]["items"][-1]["target"]["selector"] = [
        {"type": "TextQuoteSelector", "exact": "words nobody wrote", "prefix": "", "suffix": ""}
    ]
    path = tmp_path / "bad.jsonld"
    path.write_text(json.dumps(document), encoding="utf-8")
    before = foote_story.annotations.count()
    foote_story.annotations.all().delete()
    with pytest.raises(CommandError, match="is not in the article's body"):
        call_command("import_annotations", foote_story.slug, str(path))
    assert foote_story.annotations.count() == 0
    assert before > 0


def without_classifying(item):
    item["body"] = [body for body in item["body"] if body["purpose"] != "classifying"]


def set_kind(value):
    def change(item):
        next(body for body in item["body"] if body["purpose"] == "classifying")["value"] = value

    return change


def set_quote(key, value):
    def change(item):
        quote = next(s for s in item["target"]["selector"] if s["type"] == "TextQuoteSelector")
        quote[key] = value

    return change


def replace(key, value):
    def change(item):
        item[key] = value

    return change


def unlinked(item):
    item["body"].append({"type": "SpecificResource", "purpose": "identifying", "source": 7})


@pytest.mark.parametrize(
    "change, message",
    [
        (without_classifying, "has no body with the purpose “classifying” giving its kind"),
        (set_kind("rumour"), "its kind is “rumour”, not one of quote, paraphrase"),
        (set_kind(["quote"]), "its kind is missing, not one of quote"),
        (set_quote("exact", 5), "its TextQuoteSelector's exact words is not a string"),
        (set_quote("exact", "\ud800"), "exact words holds characters that cannot be stored"),
        (set_quote("prefix", "a\x00b"), "prefix holds characters that cannot be stored"),
        (replace("body", {"purpose": "classifying"}), "its body is not a list of JSON objects"),
        (replace("body", ["quote"]), "its body is not a list of JSON objects"),
        (replace("target", "the article"), "it has no target with a list of selectors"),
        (replace("target", {"selector": [None]}), "it has no target with a list of selectors"),
        (replace("target", {"selector": []}), "no TextQuoteSelector giving the words it marks"),
        (unlinked, "its body of purpose “identifying” links to nothing"),
    ],
)
def test_a_malformed_annotation_is_named_with_what_is_wrong_and_nothing_is_imported(
    admin_client, foote_story, tmp_path, change, message
):
    document = admin_client.get(URL).json()
    number = len(document["first"]["items"])
    change(document["first"]["items"][-1])
    path = tmp_path / "bad.jsonld"
    path.write_text(json.dumps(document), encoding="utf-8")
    foote_story.annotations.all().delete()
    with pytest.raises(CommandError) as refused:
        call_command("import_annotations", foote_story.slug, str(path))
    assert str(refused.value).startswith(f"Annotation {number} could not be imported: ")
    assert message in str(refused.value)
    assert foote_story.annotations.count() == 0


@pytest.mark.parametrize(
    "content, message",
    [
        ('{"first": ["not", "a", "page"]}', "not a Web Annotation collection"),
        ('{"first": {"items": [7]}}', "Annotation 1 could not be imported: it is not a JSON"),
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
    ],
)
def test_a_malformed_collection_is_refused_with_a_message(foote_story, tmp_path, content, message):
    path = tmp_path / "bad.jsonld"
    path.write_text(content, encoding="utf-8")
    before = foote_story.annotations.count()
    with pytest.raises(CommandError, match=message):
        call_command("import_annotations", foote_story.slug, str(path))
    assert foote_story.annotations.count() == before


def test_readers_collection_names_each_annotation_as_the_page_does(client, foote_story):
    page = client.get(foote_story.get_absolute_url()).content.decode()
    working = set(foote_story.annotations.values_list("pk", flat=True))
    for item in items(client.get(URL)):
        number = int(item["id"].rpartition("#annotation-")[2])
        assert number in working
        assert f'id="annotation-{number}"' in page


def test_an_import_into_a_live_story_is_one_revision_and_an_unpublished_change(
    admin_client, foote_story, tmp_path
):
    quote = foote_story.annotations.get(kind="quote")
    document = json.loads(admin_client.get(URL).content)
    item = next(i for i in document["first"]["items"] if i["id"].endswith(f"-{quote.pk}"))
    quote.delete()
    before = len(revisions_of(foote_story))
    path = tmp_path / "one.jsonld"
    path.write_text(json.dumps({**document, "first": {"items": [item]}}))
    call_command("import_annotations", foote_story.slug, str(path), stdout=io.StringIO())
    foote_story.refresh_from_db()
    assert len(revisions_of(foote_story)) == before + 1
    assert foote_story.has_unpublished_changes
    assert foote_story.annotations.filter(kind="quote", exact="inhumane").exists()


def test_an_import_into_an_approved_story_is_refused(foote_story, tmp_path):
    Article.objects.filter(pk=foote_story.pk).update(status=Article.Status.APPROVED)
    path = tmp_path / "empty.jsonld"
    path.write_text(json.dumps({"first": {"items": []}}))
    with pytest.raises(CommandError, match="goes live as the publisher saw it"):
        call_command("import_annotations", foote_story.slug, str(path), stdout=io.StringIO())
