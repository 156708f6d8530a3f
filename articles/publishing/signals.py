"""Keep what readers see true to the people, organisations and sources stories link to.

A snapshot freezes the words of a story, not the facts about the people in it: when a
person's name or a position's title is corrected, the live stories that show them are
rendered again from their published revisions.
"""

from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from articles.models import Article, Correction, Source, Topic
from articles.publishing.edition import snapshot_from_revision
from newsroom.caching import invalidate_when_committed
from people.models import Organization, Person, Place, Position

LINKS = {
    Person: ("annotations__speaker", "annotations__mentioned_person", "bylines"),
    Organization: (
        "annotations__speaker_organization",
        "annotations__mentioned_organization",
        "annotations__position__organization",
        "annotations__source__publisher",
    ),
    Position: ("annotations__position",),
    Source: ("annotations__source",),
    Place: ("annotations__mentioned_place",),
    Topic: ("topics",),
}


def live_articles_linking(instance):
    query = Q()
    for path in LINKS[type(instance)]:
        query |= Q(**{path: instance})
    return Article.objects.filter(query, live=True, published_revision__isnull=False).distinct()


@receiver(post_save, sender=Person)
@receiver(post_save, sender=Organization)
@receiver(post_save, sender=Position)
@receiver(post_save, sender=Source)
@receiver(post_save, sender=Place)
@receiver(post_save, sender=Topic)
def refresh_snapshots(sender, instance, created, raw=False, **kwargs):
    if created or raw:
        return
    for article in live_articles_linking(instance).select_related("published_revision"):
        article.published_snapshot = snapshot_from_revision(article, article.published_revision)
        article.save(update_fields=["published_snapshot"])


@receiver(post_save, sender=Correction)
@receiver(post_save, sender=Topic)
@receiver(post_delete, sender=Topic)
@receiver(post_save, sender=Person)
@receiver(post_delete, sender=Person)
@receiver(post_save, sender=Organization)
@receiver(post_delete, sender=Organization)
@receiver(post_save, sender=Position)
@receiver(post_delete, sender=Position)
@receiver(post_save, sender=Source)
@receiver(post_save, sender=Place)
def forget_cached_pages(sender, raw=False, **kwargs):
    """What readers see of these shows on many pages: let every cached page go."""
    if not raw:
        invalidate_when_committed()
