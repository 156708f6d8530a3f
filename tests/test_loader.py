import io

from django.core import serializers
from django.core.management import call_command

from articles.models import Annotation, Article, Source
from people.models import Organization, Person, Place, Position

MODELS = [Article, Annotation, Source, Person, Organization, Place, Position]


def snapshot():
    return {
        model.__name__: serializers.serialize("json", model.objects.order_by("pk"))
        for model in MODELS
    }


def test_loading_the_foote_story_twice_leaves_identical_data(foote_story):
    before = snapshot()
    output = io.StringIO()
    call_command("load_foote_story", stdout=output)
    assert "already loaded; nothing changed" in output.getvalue()
    assert snapshot() == before


def test_foote_story_is_published_and_annotated_as_the_facts_say(foote_story):
    assert foote_story.is_live
    assert foote_story.published_at.date().isoformat() == "2021-09-23"
    quote = foote_story.annotations.get(kind="quote")
    assert quote.exact == "inhumane"
    assert quote.speaker.name == "Daniel Foote"
    assert quote.position.title == "U.S. Special Envoy for Haiti"
    assert quote.source.kind == "document"
    assert quote.prefix.endswith("over what he called the “")
    assert quote.suffix.startswith("” deportation")
    counts = {
        kind: foote_story.annotations.filter(kind=kind).count()
        for kind in ["quote", "paraphrase", "claim", "mention", "note"]
    }
    assert counts == {"quote": 1, "paraphrase": 5, "claim": 3, "mention": 15, "note": 1}
    mentioned = set(
        foote_story.annotations.filter(mentioned_person__isnull=False).values_list(
            "mentioned_person__name", flat=True
        )
    )
    assert mentioned == {
        "Joe Biden",
        "Daniel Foote",
        "Antony Blinken",
        "Yamiche Alcindor",
        "Jovenel Moïse",
    }
    assert foote_story.annotations.get(kind="note").exact == "Foote’s issued"


def test_the_loaders_annotations_are_a_revision_of_their_own(foote_story):
    from articles.editorial.revisions import revisions_of

    comments = [revision.comment for revision in revisions_of(foote_story)]
    assert "Loaded the Foote story's annotations." in comments
