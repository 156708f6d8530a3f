import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from articles.models import Annotation, Quote, Source


def quote_on(article, exact, **links):
    start = article.plain_text.index(exact)
    return Annotation(
        article=article, kind="quote", exact=exact, start=start, end=start + len(exact), **links
    )


def test_quote_without_speaker_or_source_is_refused_with_messages_on_both_fields(foote_story):
    quote = quote_on(foote_story, "leaving his post immediately")
    with pytest.raises(ValidationError) as error:
        quote.full_clean()
    assert "A quote needs a speaker" in error.value.message_dict["speaker"][0]
    assert error.value.message_dict["source"] == [
        "A quote needs a source: say where the words come from."
    ]


@pytest.mark.parametrize("missing", ["speaker", "source"])
def test_database_refuses_a_quote_missing_its_speaker_or_source(foote_story, foote, missing):
    letter = Source.objects.get(kind="document")
    links = {"speaker": foote, "source": letter}
    links.pop(missing)
    before = Annotation.objects.count()
    with pytest.raises(IntegrityError), transaction.atomic():
        quote_on(foote_story, "leaving his post immediately", **links).save()
    assert Annotation.objects.count() == before


def test_unnamed_speaker_described_as_a_group_is_accepted(foote_story):
    anonymous = Source.objects.get(kind="anonymous")
    quote = quote_on(
        foote_story,
        "lack of urgency",
        speaker_description="Sources within the Biden Administration",
        source=anonymous,
    )
    quote.full_clean()
    quote.save()
    assert quote.speaker_name == "Sources within the Biden Administration"


def test_annotation_whose_words_are_not_at_its_offsets_is_refused(foote_story, foote):
    letter = Source.objects.get(kind="document")
    quote = quote_on(foote_story, "inhumane", speaker=foote, source=letter)
    quote.start += 1
    quote.end += 1
    with pytest.raises(ValidationError) as error:
        quote.full_clean()
    assert error.value.message_dict["exact"] == [
        "This span no longer matches the article. Reload and select it again."
    ]
    with pytest.raises(ValidationError):
        quote.save()
    assert not Annotation.objects.filter(start=quote.start).exists()


def test_speaker_position_defaults_to_the_one_held_on_the_sources_date(foote_story, foote):
    letter = Source.objects.get(kind="document")
    quote = quote_on(foote_story, "leaving his post immediately", speaker=foote, source=letter)
    quote.save()
    assert quote.position.title == "U.S. Special Envoy for Haiti"


def test_speaker_position_defaults_to_the_articles_date_without_a_dated_source(foote_story):
    biden = foote_story.annotations.get(exact="President Biden").mentioned_person
    wire = Source.objects.get(kind="wire_report")
    quote = quote_on(foote_story, "bipartisan criticism", speaker=biden, source=wire)
    quote.save()
    assert quote.position.title == "President of the United States"


def test_position_must_belong_to_the_speaker(foote_story, foote):
    letter = Source.objects.get(kind="document")
    biden_position = foote_story.annotations.get(exact="President Biden").mentioned_person
    quote = quote_on(
        foote_story,
        "inhumane",
        speaker=foote,
        source=letter,
        position=biden_position.positions.get(),
    )
    with pytest.raises(ValidationError) as error:
        quote.full_clean()
    assert error.value.message_dict["position"] == ["This position is not one Daniel Foote held."]


def test_anonymous_source_needs_a_justification_in_the_form_and_the_database(db):
    source = Source(kind="anonymous", title="A person familiar with the matter")
    with pytest.raises(ValidationError) as error:
        source.full_clean()
    assert error.value.message_dict == {
        "anonymity_justification": [
            "An anonymous source needs a justification: say why anonymity was granted."
        ]
    }
    source.anonymity_justification = "   "
    with pytest.raises(IntegrityError), transaction.atomic():
        source.save()
    assert not Source.objects.exists()


def test_quote_proxy_lists_only_quotes_and_paraphrases(foote_story):
    kinds = set(Quote.objects.values_list("kind", flat=True))
    assert kinds == {"quote", "paraphrase"}
    assert Quote.objects.count() == Annotation.objects.quotes().count() == 6
