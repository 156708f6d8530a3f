"""Public pages of people and organisations, while a published story shows them.

Their quotes and mentions are read from the published edition: an annotation added or
re-attributed since a story was published shows here only once it is published.
"""

from django.db.models import Q
from django.shortcuts import render

from articles.publishing import selectors

# A page shows the newest of these; the article search lists all of them.
SHOWN = 50


def person_detail(request, slug):
    person = selectors.public_person(slug)
    positions = list(selectors.positions_shown().filter(person=person).order_by("-start_date"))
    context = {
        "person": person,
        "positions": positions,
        "linked_organizations": selectors.public_organization_ids(
            position.organization_id for position in positions
        ),
        "quotes": selectors.quotes_with_stories(selectors.quotes_by(person), SHOWN),
        "mentioned_in": selectors.articles_mentioning(Q(mentioned_person=person), SHOWN),
        "shown": SHOWN,
    }
    return render(request, "people/person_detail.html", context)


def organization_detail(request, slug):
    organization = selectors.public_organization(slug)
    context = {
        "organization": organization,
        "linked_organizations": selectors.public_organization_ids([organization.part_of_id]),
        "quotes": selectors.quotes_with_stories(selectors.quotes_for(organization), SHOWN),
        # Only people readers may already meet: a name known only to drafts stays out.
        "positions": selectors.positions_shown()
        .filter(organization=organization, person__in=selectors.people_shown())
        .order_by("-start_date"),
        "mentioned_in": selectors.articles_mentioning(
            Q(mentioned_organization=organization), SHOWN
        ),
        "shown": SHOWN,
    }
    return render(request, "people/organization_detail.html", context)
