import datetime
import io
import re

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from articles.editorial import workflow
from articles.models import Article, ReviewLogEntry
from articles.publishing import edition
from tests.admin_forms import change_form_data

Status = Article.Status

# transition: (status it starts from, {role: allowed})
MATRIX = {
    "submit": (Status.DRAFT, {"Reporter": True, "Editor": True, "Publisher": True}),
    "approve": (Status.IN_REVIEW, {"Reporter": False, "Editor": True, "Publisher": True}),
    "request_changes": (
        Status.IN_REVIEW,
        {"Reporter": False, "Editor": True, "Publisher": True},
    ),
    "publish": (Status.APPROVED, {"Reporter": False, "Editor": False, "Publisher": True}),
    "unpublish": (Status.PUBLISHED, {"Reporter": False, "Editor": False, "Publisher": True}),
    "reopen": (Status.UNPUBLISHED, {"Reporter": False, "Editor": True, "Publisher": True}),
}
CASES = [
    (transition, role, allowed)
    for transition, (_, roles) in MATRIX.items()
    for role, allowed in roles.items()
]
TARGET = {
    "submit": Status.IN_REVIEW,
    "approve": Status.APPROVED,
    "request_changes": Status.CHANGES_REQUESTED,
    "publish": Status.PUBLISHED,
    "unpublish": Status.UNPUBLISHED,
    "reopen": Status.DRAFT,
}


def in_status(article, status, **fields):
    """Put the article straight into ``status``; only a published one is on the site."""
    live = status == Status.PUBLISHED
    Article.objects.filter(pk=article.pk).update(status=status, live=live, **fields)
    if not live:
        edition.edition_withdraw(article=article)
    article.refresh_from_db()
    return article


def apply(transition, article, user):
    if transition == "request_changes":
        return workflow.request_changes(article, user, "Attribute the second paraphrase.")
    return getattr(workflow, transition)(article, user)


@pytest.mark.parametrize(("transition", "role", "allowed"), CASES)
def test_permission_matrix_by_direct_call(foote_story, make_staff, transition, role, allowed):
    user = make_staff(role)
    article = in_status(foote_story, MATRIX[transition][0], created_by=user)
    if allowed:
        assert apply(transition, article, user).status == TARGET[transition]
        assert article.review_log.last().actor == user
    else:
        with pytest.raises(PermissionDenied):
            apply(transition, article, user)
        article.refresh_from_db()
        assert article.status == MATRIX[transition][0]


@pytest.mark.parametrize(("transition", "role", "allowed"), CASES)
def test_permission_matrix_by_admin_post(
    client, foote_story, make_staff, transition, role, allowed
):
    user = make_staff(role)
    start = MATRIX[transition][0]
    article = in_status(foote_story, start, created_by=user)
    client.force_login(user)
    page = client.get(reverse("admin:articles_article_change", args=[article.pk]))
    offered = f'value="{transition}"' in page.content.decode()
    response = client.post(
        reverse("admin:articles_article_transition", args=[article.pk]),
        {"transition": transition, "comment": "Attribute the second paraphrase."},
    )
    article.refresh_from_db()
    if allowed:
        assert response.status_code == 302
        assert article.status == TARGET[transition]
    else:
        assert response.status_code == 403
        assert article.status == start
    assert offered == allowed


def test_reporter_cannot_submit_someone_elses_draft(foote_story, make_staff):
    article = in_status(foote_story, Status.DRAFT)
    with pytest.raises(PermissionDenied):
        workflow.submit(article, make_staff("Reporter"))


def test_requesting_changes_needs_a_comment(foote_story, make_staff):
    article = in_status(foote_story, Status.IN_REVIEW)
    with pytest.raises(workflow.InvalidTransition, match="a comment is required"):
        workflow.request_changes(article, make_staff("Editor"), "   ")
    article.refresh_from_db()
    assert article.status == Status.IN_REVIEW


def test_transition_from_the_wrong_state_says_why(foote_story, make_staff):
    article = in_status(foote_story, Status.DRAFT)
    with pytest.raises(workflow.InvalidTransition) as error:
        workflow.approve(article, make_staff("Editor"))
    assert str(error.value) == f"Cannot approve “{article.headline}”: it is draft."


def test_review_log_records_who_when_from_to_and_why_and_cannot_be_rewritten(
    foote_story, make_staff
):
    article = in_status(foote_story, Status.IN_REVIEW)
    editor = make_staff("Editor")
    workflow.request_changes(article, editor, "Name the AP reporter.")
    entry = article.review_log.last()
    assert (entry.actor, entry.from_status, entry.to_status, entry.comment) == (
        editor,
        "in_review",
        "changes_requested",
        "Name the AP reporter.",
    )
    with pytest.raises(ValueError, match="append-only"):
        entry.save()
    with pytest.raises(ValueError, match="append-only"):
        entry.delete()


def test_notifications_go_to_editors_and_authors(
    foote_story, make_staff, django_capture_on_commit_callbacks
):
    reporter = make_staff("Reporter")
    reporter.email = "reporter@example.org"
    reporter.save()
    editor = make_staff("Editor")
    editor.email = "editor@example.org"
    editor.save()
    article = in_status(foote_story, Status.DRAFT, created_by=reporter)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.submit(article, reporter)
    assert mail.outbox[-1].to == ["editor@example.org"]
    with django_capture_on_commit_callbacks(execute=True):
        workflow.request_changes(article, editor, "Check the 15,000 figure.")
    assert mail.outbox[-1].to == ["reporter@example.org"]
    assert "Check the 15,000 figure." in mail.outbox[-1].body
    in_status(article, Status.APPROVED)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.publish(article, make_staff("Publisher"))
    assert mail.outbox[-1].subject == f"Published: {article.headline}"


def test_scheduled_article_stays_hidden_until_publish_scheduled_runs(
    client, foote_story, make_staff
):
    article = in_status(foote_story, Status.APPROVED)
    soon = timezone.now() + datetime.timedelta(hours=1)
    workflow.publish(article, make_staff("Publisher"), at=soon)
    assert article.status == Status.SCHEDULED
    assert client.get(article.get_absolute_url()).status_code == 404
    call_command("publish_scheduled", stdout=io.StringIO())
    article.refresh_from_db()
    assert article.status == Status.SCHEDULED
    Article.objects.filter(pk=article.pk).update(
        published_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    call_command("publish_scheduled", stdout=io.StringIO())
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED
    assert article.review_log.last().actor is None
    assert client.get(article.get_absolute_url()).status_code == 200


def test_embargo_stops_publishing_and_scheduling_before_it(foote_story, make_staff):
    publisher = make_staff("Publisher")
    embargo = timezone.now() + datetime.timedelta(days=1)
    article = in_status(foote_story, Status.APPROVED, embargo_until=embargo)
    with pytest.raises(workflow.InvalidTransition, match="under embargo until"):
        workflow.publish(article, publisher)
    with pytest.raises(workflow.InvalidTransition, match="under embargo until"):
        workflow.publish(article, publisher, at=embargo - datetime.timedelta(hours=1))
    article = workflow.publish(article, publisher, at=embargo + datetime.timedelta(minutes=5))
    assert article.status == Status.SCHEDULED
    assert ReviewLogEntry.objects.filter(article=article, to_status="scheduled").count() == 1


def test_reporter_cannot_change_someone_elses_article_by_forged_post(
    client, make_staff, foote_story
):
    owner = make_staff("Reporter", "owner")
    article = in_status(foote_story, Status.DRAFT, created_by=owner)
    url = reverse("admin:articles_article_change", args=[article.pk])
    client.force_login(owner)
    data = change_form_data(client, url)
    client.force_login(make_staff("Reporter", "intruder"))
    response = client.post(url, {**data, "headline": "Rewritten by someone else"})
    assert response.status_code == 403
    assert Article.objects.get(pk=article.pk).headline == foote_story.headline


def test_editor_sees_a_published_article_read_only(client, make_staff, foote_story):
    client.force_login(make_staff("Editor"))
    page = client.get(reverse("admin:articles_article_change", args=[foote_story.pk]))
    assert page.status_code == 200
    assert 'name="headline"' not in page.content.decode()


def test_a_due_schedule_that_cannot_run_says_why_instead_of_failing_silently(
    foote_story, make_staff
):
    article = in_status(foote_story, Status.APPROVED)
    workflow.publish(
        article, make_staff("Publisher"), at=timezone.now() + datetime.timedelta(hours=1)
    )
    later = timezone.now() + datetime.timedelta(days=2)
    Article.objects.filter(pk=article.pk).update(
        published_at=timezone.now() - datetime.timedelta(minutes=1), embargo_until=later
    )
    with pytest.raises(CommandError, match="Not published: .* is under embargo until"):
        call_command("publish_scheduled", stdout=io.StringIO())
    article.refresh_from_db()
    assert (article.status, article.live) == (Status.SCHEDULED, False)


# Every state an article meets on its way: (status, live, has unpublished changes).
STATES = [
    (Status.DRAFT, False, False),
    (Status.IN_REVIEW, False, False),
    (Status.CHANGES_REQUESTED, False, False),
    (Status.APPROVED, False, False),
    (Status.SCHEDULED, False, False),
    (Status.PUBLISHED, True, False),
    (Status.PUBLISHED, True, True),
    (Status.IN_REVIEW, True, True),
    (Status.CHANGES_REQUESTED, True, True),
    (Status.APPROVED, True, True),
    (Status.UNPUBLISHED, False, False),
]
ROLES = ["Reporter", "Editor", "Publisher", "superuser"]
BUTTON = re.compile(r'<button type="submit" name="transition" value="(\w+)"[^>]*>([^<]+)</button>')


def put_in_state(article, status, live, changes, **fields):
    Article.objects.filter(pk=article.pk).update(
        status=status, live=live, has_unpublished_changes=changes, **fields
    )
    article.refresh_from_db()
    return article


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("status", "live", "changes"), STATES)
def test_every_button_shown_succeeds_and_every_other_action_is_refused(
    client, foote_story, make_staff, django_user_model, status, live, changes, role
):
    if role == "superuser":
        user = django_user_model.objects.create_superuser("chief", password="correct horse")
    else:
        user = make_staff(role)
    client.force_login(user)
    start = (status, live, changes)
    article = put_in_state(foote_story, status, live, changes, created_by=user)
    page = client.get(reverse("admin:articles_article_change", args=[article.pk]))
    buttons = dict(BUTTON.findall(page.content.decode()))
    actions = {transition.action for transition in workflow.TRANSITIONS}
    assert set(buttons) <= actions

    for action in sorted(actions):
        put_in_state(article, status, live, changes)
        response = client.post(
            reverse("admin:articles_article_transition", args=[article.pk]),
            {
                "transition": action,
                "comment": "Attribute the second paraphrase.",
                "reason": "Breaking news: it cannot wait.",
            },
        )
        article.refresh_from_db()
        said = [message.level_tag for message in get_messages(response.wsgi_request)]
        if action in buttons:
            assert (response.status_code, said[-1:]) == (302, ["success"]), action
            assert (article.status, article.live, article.has_unpublished_changes) != start, action
        else:
            assert response.status_code == 403 or said[-1:] == ["error"], action
            assert (article.status, article.live, article.has_unpublished_changes) == start, action


def test_the_unpublish_button_says_what_it_does(client, foote_story, make_staff):
    client.force_login(make_staff("Publisher"))
    url = reverse("admin:articles_article_change", args=[foote_story.pk])
    assert ">Unpublish</button>" in client.get(url).content.decode()
    put_in_state(foote_story, Status.SCHEDULED, False, False)
    page = client.get(url).content.decode()
    assert ">Cancel schedule</button>" in page
    assert ">Unpublish</button>" not in page
