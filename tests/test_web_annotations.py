import io
import json

import pytest
from django.core.management import CommandError, call_command

from articles.annotations.w3c import MEDIA_TYPE
from articles.editorial import workflow

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
