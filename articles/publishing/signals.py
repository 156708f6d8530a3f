"""Keep what readers see true to the people, organisations and sources stories link to.

The published edition freezes the words of a story, not the facts about the people in it:
when a person's name or a position's title is corrected, the live stories that show them are
rendered again from their published revisions (``edition.edition_refresh``).
"""

from django.db.models import Q
from django.db.models.signals import post_delete, post_save

from articles.models import Article, Correction, Source, Topic
from articles.publishing.edition import edition_refresh
from newsroom.caching import invalidate_when_committed
from people.models import Organization, Person, Place, Position

# Where the published edition shows each kind of shared record.
LINKS = {
    Person: (
        "edition__annotations__speaker",
        "edition__annotations__mentioned_person",
        "edition__publishedbyline__person",
    ),
    Organization: (
        "edition__annotations__speaker_organization",
        "edition__annotations__mentioned_organization",
        "edition__annotations__position__organization",
        "edition__sources__source__publisher",
    ),
    Position: ("edition__annotations__position",),
    Source: ("edition__sources__source",),
    Place: ("edition__annotations__mentioned_place",),
    Topic: ("edition__publishedtopic__topic",),
}


def live_articles_linking(instance):
    query = Q()
    for path in LINKS[type(instance)]:
        query |= Q(**{path: instance})
    return Article.objects.filter(query).distinct()


def refresh_editions(sender, instance, created, raw=False, **kwargs):
    if created or raw:
        return
    edition_refresh(articles=live_articles_linking(instance))


def forget_cached_pages(sender, raw=False, **kwargs):
    """What readers see of these shows on many pages (a person's page shows their bio, which
    no story holds): let every cached page go."""
    if not raw:
        invalidate_when_committed()


for shared in LINKS:
    post_save.connect(refresh_editions, sender=shared)
for shown in (*LINKS, Correction):
    post_save.connect(forget_cached_pages, sender=shown)
    post_delete.connect(forget_cached_pages, sender=shown)
