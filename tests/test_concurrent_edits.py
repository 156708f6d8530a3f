from django.test import Client
from django.urls import reverse

from articles.admin.models import ArticleAdmin
from articles.editorial import workflow
from articles.models import Article
from tests.admin_forms import change_form_data


def test_second_save_is_refused_showing_the_other_change_and_keeping_the_typed_text(
    make_staff, foote_story
):
    url = reverse("admin:articles_article_change", args=[foote_story.pk])
    first, second = Client(), Client()
    first.force_login(make_staff("Publisher", "first"))
    second.force_login(make_staff("Publisher", "second"))
    first_form, second_form = change_form_data(first, url), change_form_data(second, url)

    first_form["body"] = first_form["body"].replace("Foote’s issued", "Foote’s issues")
    assert first.post(url, first_form).status_code == 302

    second_form["headline"] = "U.S. envoy quits over Haiti deportations"
    response = second.post(url, second_form)
    page = response.content.decode()
    assert response.status_code == 200
    assert "first saved this article while you were editing it" in page
    assert "<del>issued</del>" in page and "<ins>issues</ins>" in page
    assert 'value="U.S. envoy quits over Haiti deportations"' in page
    stored = Article.objects.get(pk=foote_story.pk)
    assert "Foote’s issues" in stored.body
    assert stored.headline == foote_story.headline

    merged = response.context["adminform"].form.data.copy()
    merged["body"] = stored.body
    assert second.post(url, merged).status_code == 302
    stored.refresh_from_db()
    assert stored.headline == "U.S. envoy quits over Haiti deportations"
    assert "Foote’s issues" in stored.body


def test_a_save_does_not_undo_a_publication_decision_made_while_it_was_running(
    admin_client, foote_story, monkeypatch
):
    url = reverse("admin:articles_article_change", args=[foote_story.pk])
    data = change_form_data(admin_client, url)
    data["dek"] = "A dek edited while a publisher took the story down."
    fetch = ArticleAdmin.get_object

    def fetch_then_unpublished_elsewhere(self, request, object_id, from_field=None):
        article = fetch(self, request, object_id, from_field)
        workflow.unpublish(Article.objects.get(pk=article.pk), None)  # another request
        return article

    monkeypatch.setattr(ArticleAdmin, "get_object", fetch_then_unpublished_elsewhere)
    assert admin_client.post(url, data).status_code == 302
    stored = Article.objects.get(pk=foote_story.pk)
    assert stored.dek == "A dek edited while a publisher took the story down."
    assert (stored.status, stored.live) == ("unpublished", False)
