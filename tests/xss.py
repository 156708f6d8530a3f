"""A corpus of script-injection payloads, planted in every field that some page renders.

Each payload, if it ever ran, would set ``window.__xss``; the browser test reads that flag,
the parsing test looks for markup that could run it.
"""

from articles.editorial import workflow
from articles.models import Annotation, Article, Correction, Source, Topic
from people.models import Organization, Person, Place, Position

PAYLOADS = [
    "<script>window.__xss=1</script>",
    '"><img src=x onerror="window.__xss=1">',
    "'><svg onload=window.__xss=1>",
    "</script><script>window.__xss=1</script>",
    "</title><script>window.__xss=1</script>",
    '<a href="javascript:window.__xss=1">x</a>',
    '<iframe srcdoc="<script>parent.__xss=1</script>"></iframe>',
    "{{ request }}{% now 'Y' %}",
    "\u2028\u2029<!--<script>window.__xss=1</script>-->",
]
PAYLOAD = " ".join(PAYLOADS)


def plant(article: Article) -> None:
    """Put the payloads into every rendered field around the live ``article``, then publish."""
    foote = Person.objects.get(slug="daniel-foote")
    foote.bio = PAYLOAD
    foote.aliases = f"Foote\n{PAYLOAD}"
    foote.save()
    organization = Organization.objects.get(slug="associated-press")
    organization.description = PAYLOAD
    organization.save()
    position = Position.objects.get(person=foote, title="U.S. Special Envoy for Haiti")
    position.end_note = PAYLOAD[:100]
    position.save()
    Place.objects.filter(slug="haiti").update(description=PAYLOAD[:300])
    Topic.objects.filter(slug="haiti").update(description=PAYLOAD)
    letter = Source.objects.get(kind="document")
    letter.title = PAYLOAD[:300]
    letter.url = "javascript:window.__xss=1"
    letter.save()
    anonymous = Source.objects.get(kind="anonymous")
    anonymous.anonymity_justification = PAYLOAD
    anonymous.save()
    Annotation.objects.filter(article=article, kind__in=["claim", "note"]).update(note=PAYLOAD)
    Annotation.objects.filter(article=article, speaker_description__gt="").update(
        speaker_description=PAYLOAD[:300]
    )
    Correction.objects.create(article=article, text=PAYLOAD)
    article.headline = PAYLOAD[:200]
    article.dek = PAYLOAD
    article.body = f"<p>{PAYLOAD}</p>" + article.body
    article.lead_image_alt = PAYLOAD[:300]
    article.save()
    for step in (workflow.submit, workflow.approve, workflow.publish):
        article = step(article, None)
