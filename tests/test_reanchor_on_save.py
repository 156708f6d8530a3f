import pytest
from django.urls import reverse

from articles.editorial import workflow
from articles.models import Annotation, Article
from tests.admin_forms import change_form_data

TYPO = "Foote’s issued went beyond"


def paragraphs(article):
    return article.body.split("</p>")


def test_fixing_the_typo_keeps_every_annotation_on_its_words(foote_story):
    before = {a.pk: a.exact for a in foote_story.annotations.all()}
    foote_story.body = foote_story.body.replace(TYPO, "Foote’s issues went beyond")
    foote_story.save()
    text = foote_story.plain_text
    for annotation in foote_story.annotations.all():
        assert text[annotation.start : annotation.end] == annotation.exact
    paraphrase = foote_story.annotations.get(speaker_organization__slug="biden-administration")
    assert paraphrase.anchor_status == "fuzzy"
    assert paraphrase.exact.startswith("Foote’s issues went beyond frustration")
    quote = foote_story.annotations.get(kind="quote")
    assert (quote.exact, quote.anchor_status) == (before[quote.pk], "exact")


def test_paragraph_inserted_at_the_top_moves_annotations_without_losing_any(foote_story):
    count = foote_story.annotations.count()
    foote_story.body = "<p>Updated: inhumane conditions were reported again.</p>" + foote_story.body
    foote_story.save()
    text = foote_story.plain_text
    quote = foote_story.annotations.get(kind="quote")
    assert quote.anchor_status == "moved"
    assert text[quote.start : quote.end] == "inhumane"
    assert text[quote.start - 20 : quote.start] == "what he called the “"
    assert foote_story.annotations.count() == count
    assert not foote_story.annotations.filter(anchor_status="orphaned").exists()


def test_deleting_a_paragraph_orphans_its_annotations_but_keeps_them(foote_story):
    count = foote_story.annotations.count()
    foote_story.body = "</p>".join(p for p in paragraphs(foote_story) if TYPO not in p)
    foote_story.save()
    orphans = foote_story.annotations.filter(anchor_status="orphaned")
    assert {a.exact for a in orphans} == {
        "Foote’s issued went beyond frustration over what he felt was a lack of urgency to "
        "provide aid to Haiti.",
        "Foote’s issued",
        "Biden Administration",
    }
    assert all(a.start is None and a.prefix for a in orphans)
    assert foote_story.annotations.count() == count


def test_article_with_an_orphaned_quote_cannot_be_published(foote_story):
    Article.objects.filter(pk=foote_story.pk).update(status=Article.Status.APPROVED)
    foote_story.refresh_from_db()
    foote_story.body = "</p>".join(p for p in paragraphs(foote_story) if TYPO not in p)
    foote_story.save()
    with pytest.raises(workflow.InvalidTransition) as error:
        workflow.publish(foote_story, user=None)
    assert "Resolve the orphaned quotes before publishing" in str(error.value)
    assert "Foote’s issued went beyond" in str(error.value)
    foote_story.refresh_from_db()
    assert foote_story.status == Article.Status.APPROVED


def test_saving_the_body_in_the_admin_reanchors_annotations(admin_client, foote_story):
    url = reverse("admin:articles_article_change", args=[foote_story.pk])
    data = change_form_data(admin_client, url)
    data["body"] = "<p>Editor’s note: updated.</p>" + foote_story.body
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    quote = Annotation.objects.get(article=foote_story, kind="quote")
    assert quote.anchor_status == "moved"
    assert Article.objects.get(pk=foote_story.pk).plain_text[quote.start : quote.end] == "inhumane"
