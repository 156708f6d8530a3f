"""Emails that tell staff a story needs them: sent after the transition has committed.

A mail server that is down must not undo or hide a transition, so failures are logged, not
raised.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.urls import reverse

logger = logging.getLogger(__name__)


def submitted(article, actor, comment=""):
    reviewers = (
        get_user_model()
        .objects.filter(is_active=True, groups__permissions__codename="review_article")
        .exclude(email="")
        .distinct()
    )
    _send(
        [user.email for user in reviewers],
        f"For review: {article.headline}",
        f"{_name(actor)} submitted “{article.headline}” for review.\n\n{_admin_url(article)}",
    )


def changes_requested(article, actor, comment=""):
    _send(
        _authors(article),
        f"Changes requested: {article.headline}",
        f"{_name(actor)} asked for changes to “{article.headline}”:\n\n{comment}\n\n"
        f"{_admin_url(article)}",
    )


def published(article, actor, comment=""):
    _send(
        _authors(article),
        f"Published: {article.headline}",
        f"“{article.headline}” is live at {article.get_absolute_url()}.",
    )


def _authors(article):
    author = article.created_by
    return [author.email] if author and author.email else []


def _name(user):
    return user.get_username() if user else "The newsroom's scheduler"


def _admin_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def _send(recipients, subject, body):
    if not recipients:
        return
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    except Exception:
        logger.exception("Could not send “%s” to %s", subject, ", ".join(recipients))
