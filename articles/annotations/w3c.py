"""An article's annotations as a W3C Web Annotation collection, out and back in.

Each annotation's kind travels as a "classifying" body; its speaker, position, source and
mentioned subject as "identifying", "describing" and "linking" bodies whose ``source`` is the
thing's public URL (people, organisations) or a stable tag URI (positions, places, sources).
Reading a collection resolves those URLs back to this newsroom's records.
"""

import re

from django.core.exceptions import ValidationError

from articles.annotations import anchoring, service
from articles.models import Annotation, Article, Source
from people.models import Organization, Person, Place, Position

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
MEDIA_TYPE = 'application/ld+json;profile="http://www.w3.org/ns/anno.jsonld"'
TAG = "tag:newsroom.invalid,2026:"
MOTIVATIONS = {
    Annotation.Kind.QUOTE: "identifying",
    Annotation.Kind.PARAPHRASE: "identifying",
    Annotation.Kind.MENTION: "identifying",
    Annotation.Kind.CLAIM: "questioning",
    Annotation.Kind.NOTE: "commenting",
}
RELATIONS = Annotation.LINKS
_KIND_NAMES = ", ".join(Annotation.Kind.values)
_URL_PATTERNS = {
    "person": (re.compile(r"/people/(?P<key>[-\w]+)/$"), Person, "slug"),
    "organization": (re.compile(r"/organizations/(?P<key>[-\w]+)/$"), Organization, "slug"),
    "position": (re.compile(rf"^{re.escape(TAG)}position/(?P<key>\d+)$"), Position, "pk"),
    "place": (re.compile(rf"^{re.escape(TAG)}place/(?P<key>[-\w]+)$"), Place, "slug"),
    "source": (re.compile(rf"^{re.escape(TAG)}source/(?P<key>\d+)$"), Source, "pk"),
}


def collection(article: Article, annotations, absolute, headline: str) -> dict:
    """The collection document; ``absolute`` turns a site path into a full URL.

    ``headline`` is passed in because readers get the published one, staff the working copy's.
    """
    article_url = absolute(article.get_absolute_url())
    items = [_annotation(annotation, article_url, absolute) for annotation in annotations]
    return {
        "@context": CONTEXT,
        "id": f"{article_url}annotations.jsonld",
        "type": "AnnotationCollection",
        "label": f"Annotations of “{headline}”",
        "total": len(items),
        "first": {
            "id": f"{article_url}annotations.jsonld#page-1",
            "type": "AnnotationPage",
            "startIndex": 0,
            "items": items,
        },
    }


def _annotation(annotation, article_url, absolute) -> dict:
    bodies = [{"type": "TextualBody", "purpose": "classifying", "value": annotation.kind}]
    if annotation.speaker_id:
        bodies.append(_link("identifying", absolute(annotation.speaker.get_absolute_url())))
    if annotation.speaker_organization_id:
        organization = annotation.speaker_organization
        bodies.append(_link("identifying", absolute(organization.get_absolute_url())))
    if annotation.speaker_description:
        bodies.append(
            {
                "type": "TextualBody",
                "purpose": "identifying",
                "value": annotation.speaker_description,
            }
        )
    if annotation.position_id:
        bodies.append(_link("describing", f"{TAG}position/{annotation.position_id}"))
    if annotation.source_id:
        bodies.append(_link("linking", f"{TAG}source/{annotation.source_id}"))
    for subject in (annotation.mentioned_person, annotation.mentioned_organization):
        if subject is not None:
            bodies.append(_link("identifying", absolute(subject.get_absolute_url())))
    if annotation.mentioned_place_id:
        bodies.append(_link("identifying", f"{TAG}place/{annotation.mentioned_place.slug}"))
    if annotation.note:
        bodies.append({"type": "TextualBody", "purpose": "commenting", "value": annotation.note})
    selectors = [
        {
            "type": "TextQuoteSelector",
            "exact": annotation.exact,
            "prefix": annotation.prefix,
            "suffix": annotation.suffix,
        }
    ]
    if not annotation.is_orphaned:
        selectors.append(
            {"type": "TextPositionSelector", "start": annotation.start, "end": annotation.end}
        )
    # A published row names the working annotation it shows, whose id the page's anchors use:
    # its own id changes each time the edition is written again.
    number = getattr(annotation, "annotation_id", annotation.pk)
    document = {
        "id": f"{article_url}#annotation-{number}",
        "type": "Annotation",
        "motivation": MOTIVATIONS[annotation.kind],
        "body": bodies,
        "target": {"source": article_url, "selector": selectors},
    }
    # Annotations read back from a published revision carry no timestamps of their own.
    if annotation.created_at:
        document["created"] = annotation.created_at.isoformat()
        document["modified"] = annotation.updated_at.isoformat()
    return document


def _link(purpose, url):
    return {"type": "SpecificResource", "purpose": purpose, "source": url}


def annotations_import(*, article: Article, document: dict, user=None) -> list[Annotation]:
    """Create the collection's annotations on ``article``, through the annotate service; all or
    none, as one revision.

    An item that is malformed, whose quote is not in the body, or whose links name nothing here
    stops the import with a message naming the item and what is wrong with it.
    """
    first = document.get("first") if isinstance(document, dict) else None
    items = first.get("items") if isinstance(first, dict) else None
    if not isinstance(items, list):
        raise ValidationError("This is not a Web Annotation collection: no first.items list.")
    text = article.plain_text
    created = []
    for number, item in enumerate(items, start=1):
        try:
            created.append(_import_item(article, text, item))
        except (ValidationError, KeyError, TypeError, ValueError) as problem:
            detail = "; ".join(getattr(problem, "messages", [str(problem)]))
            raise ValidationError(f"Annotation {number} could not be imported: {detail}") from None
    return service.annotations_add(
        article=article,
        user=user,
        annotations=created,
        comment=f"Imported {len(created)} annotations from a W3C collection.",
    )


def _import_item(article, text, item) -> Annotation:
    if not isinstance(item, dict):
        raise ValidationError("it is not a JSON object.")
    target = item.get("target")
    parts = target.get("selector") if isinstance(target, dict) else None
    if not isinstance(parts, list) or not all(isinstance(part, dict) for part in parts):
        raise ValidationError("it has no target with a list of selectors.")
    selector = {}
    for part in parts:
        if part.get("type") == "TextQuoteSelector":
            selector["exact"] = _text(part.get("exact"), "its TextQuoteSelector's exact words")
            selector["prefix"] = _text(part.get("prefix", ""), "its TextQuoteSelector's prefix")
            selector["suffix"] = _text(part.get("suffix", ""), "its TextQuoteSelector's suffix")
        elif part.get("type") == "TextPositionSelector":
            start, end = part.get("start"), part.get("end")
            if not all(isinstance(n, int) and not isinstance(n, bool) for n in (start, end)):
                raise ValidationError("its TextPositionSelector's start and end are not integers.")
            selector.update(start=start, end=end)
    if not selector.get("exact"):
        raise ValidationError("it has no TextQuoteSelector giving the words it marks.")
    span = anchoring.anchor(text, selector)
    if span is None:
        raise ValidationError(f"“{selector.get('exact', '')}” is not in the article's body.")
    annotation = Annotation(article=article, exact=text[span[0] : span[1]])
    annotation.start, annotation.end = span
    bodies = item.get("body", [])
    if not isinstance(bodies, list) or not all(isinstance(body, dict) for body in bodies):
        raise ValidationError("its body is not a list of JSON objects.")
    _apply_bodies(annotation, bodies)
    annotation.full_clean()
    return annotation


def _apply_bodies(annotation, bodies):
    kinds = [body.get("value") for body in bodies if body.get("purpose") == "classifying"]
    if not kinds:
        raise ValidationError(
            f"it has no body with the purpose “classifying” giving its kind ({_KIND_NAMES})."
        )
    kind = kinds[0]
    if kind not in Annotation.Kind.values:
        shown = f"“{_shown(kind)}”" if isinstance(kind, str) else "missing"
        raise ValidationError(f"its kind is {shown}, not one of {_KIND_NAMES}.")
    annotation.kind = kind
    speaking = kind in Annotation.SPEAKER_KINDS
    for body in bodies:
        purpose = body.get("purpose")
        if purpose == "classifying":
            continue
        if body.get("type") == "TextualBody":
            if purpose == "identifying":
                annotation.speaker_description = _text(body.get("value"), "its speaker text")
            elif purpose == "commenting":
                annotation.note = _text(body.get("value"), "its comment")
            continue
        if not isinstance(body.get("source"), str):
            raise ValidationError(
                f"its body of purpose “{_shown(purpose)}” links to nothing (no source address)."
            )
        kind_of, instance = _resolve(_text(body["source"], "a body's source address"))
        if kind_of == "person":
            setattr(annotation, "speaker" if speaking else "mentioned_person", instance)
        elif kind_of == "organization":
            name = "speaker_organization" if speaking else "mentioned_organization"
            setattr(annotation, name, instance)
        elif kind_of == "place":
            annotation.mentioned_place = instance
        else:
            setattr(annotation, kind_of, instance)


def _text(value, what: str) -> str:
    """A string of the collection that can be stored: no null character, no lone surrogate."""
    if not isinstance(value, str):
        raise ValidationError(f"{what} is not a string.")
    if "\x00" in value or not _is_utf8(value):
        raise ValidationError(f"{what} holds characters that cannot be stored.")
    return value


def _is_utf8(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate, which JSON's \ud800 escapes can make
        return False
    return True


def _shown(value) -> str:
    """Part of a string from the collection, safe to print in a message."""
    if not isinstance(value, str):
        return "none"
    return value[:40].encode("utf-8", "replace").decode("utf-8").replace("\x00", "?")


def _resolve(url):
    for kind_of, (pattern, model, field) in _URL_PATTERNS.items():
        match = pattern.search(url)
        if match:
            instance = model.objects.filter(**{field: match["key"]}).first()
            if instance is None:
                raise ValidationError(f"{url} names no {model._meta.verbose_name} here.")
            return kind_of, instance
    raise ValidationError(f"{url} is not a link this newsroom knows.")
