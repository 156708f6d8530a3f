"""The Annotate screen: the body as readers see it, and the JSON endpoints its script calls.

Every view is wrapped by the admin site (staff login, CSRF protection on writes) and checks the
user's permission on the article itself; writes go through ``articles.annotations.service``.
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied, RequestDataTooBig, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods

from articles.admin import payloads
from articles.annotations import rendering, service
from articles.editorial.permissions import can_annotate
from articles.models import Annotation, Article, Source
from people.models import Organization, Person, Place

SEARCH_LIMIT = 20
TOO_LARGE = "The request is too large to be saved. Shorten what you typed and save again."
RELATIONS = (
    "speaker",
    "speaker_organization",
    "position__organization",
    "source",
    "mentioned_person",
    "mentioned_organization",
    "mentioned_place",
)
SEARCHES = {
    "speaker": (Person, ["name", "aliases"]),
    "mentioned_person": (Person, ["name", "aliases"]),
    "speaker_organization": (Organization, ["name"]),
    "mentioned_organization": (Organization, ["name"]),
    "mentioned_place": (Place, ["name"]),
    "source": (Source, ["title", "publisher__name"]),
}


def annotate_urls(admin_site):
    """URL patterns for the Annotate screen, added to the article admin's own."""

    def view(function):
        return admin_site.admin_view(function)

    return [
        path("<int:pk>/annotate/", view(annotate_page), name="articles_article_annotate"),
        path(
            "<int:pk>/annotations/",
            view(annotations_collection),
            name="articles_article_annotations",
        ),
        path(
            "<int:pk>/annotations/<int:annotation_pk>/",
            view(annotation_item),
            name="articles_article_annotation",
        ),
        path(
            "<int:pk>/annotations/positions/",
            view(speaker_positions),
            name="articles_article_annotation_positions",
        ),
        path(
            "<int:pk>/annotations/search/<str:field>/",
            view(search),
            name="articles_article_annotation_search",
        ),
        path("<int:pk>/annotations/people/", view(person_create), name="articles_quick_person"),
        path("<int:pk>/annotations/sources/", view(source_create), name="articles_quick_source"),
    ]


def annotate_page(request, pk):
    article = _editable_article(request, pk)
    annotations = _annotations_of(article)
    context = {
        **admin.site.each_context(request),
        "title": f"Annotate “{article.headline}”",
        "article": article,
        "opts": Article._meta,
        "body_html": _body_html(article, annotations),
        "config": {
            "article": {
                "id": article.pk,
                "headline": article.headline,
                "reference_date": article.reference_date.isoformat(),
            },
            "urls": _urls(article),
            "kinds": Annotation.Kind.choices,
            "source_kinds": Source.Kind.choices,
            "plain_text_length": len(article.plain_text),
            "annotations": [annotation_json(a) for a in annotations],
        },
    }
    return TemplateResponse(request, "admin/articles/article/annotate.html", context)


# Each write and the answer built from it form one transaction: if the database fails while
# answering, the write is undone too, so an editor told "failed" never has it saved anyway.
@require_http_methods(["GET", "POST"])
@transaction.atomic
def annotations_collection(request, pk):
    article = _editable_article(request, pk)
    if request.method == "GET":
        return _state(article)
    try:
        fields = payloads.annotation_payload(_body(request), creating=True)
        annotation = service.annotation_create(
            article=article,
            user=request.user,
            kind=fields.pop("kind", ""),
            selector=fields.pop("selector", None),
            **fields,
        )
    except (ValidationError, PermissionDenied) as problem:
        return _problem(problem)
    return _state(article, status=201, annotation=annotation)


@require_http_methods(["POST", "DELETE"])
@transaction.atomic
def annotation_item(request, pk, annotation_pk):
    article = _editable_article(request, pk)
    annotation = get_object_or_404(Annotation, pk=annotation_pk, article=article)
    try:
        if request.method == "DELETE":
            service.annotation_delete(annotation=annotation, user=request.user)
            return _state(article)
        fields = payloads.annotation_payload(_body(request), creating=False)
        expected = fields.pop("version", None)
        service.annotation_update(
            annotation=annotation, user=request.user, expected_version=expected, **fields
        )
    except service.AnnotationConflict as conflict:
        theirs = annotation_json(conflict.current)
        return JsonResponse(
            {"message": f"{conflict} {_their_version(theirs)}", "errors": {}, "annotation": theirs},
            status=409,
        )
    except (ValidationError, PermissionDenied) as problem:
        return _problem(problem)
    return _state(article, annotation=annotation)


def speaker_positions(request, pk):
    article = _editable_article(request, pk)
    speaker = Person.objects.filter(pk=_int(request.GET.get("speaker"))).first()
    if speaker is None:
        return JsonResponse({"positions": [], "default": None})
    source = Source.objects.filter(pk=_int(request.GET.get("source"))).first()
    day = source.date if source and source.date else article.reference_date
    default = speaker.position_on(day)
    positions = speaker.positions.select_related("organization").order_by("-start_date")
    return JsonResponse(
        {
            "positions": [{"id": p.pk, "text": str(p)} for p in positions],
            "default": default.pk if default else None,
        }
    )


def search(request, pk, field):
    _editable_article(request, pk)
    if field not in SEARCHES:
        raise Http404("No such field to search.")
    model, fields = SEARCHES[field]
    # PostgreSQL refuses a null character in a query: no name holds one anyway.
    term = request.GET.get("term", "").replace("\x00", "").strip()
    query = Q()
    for name in fields:
        query |= Q(**{f"{name}__icontains": term})
    results = model.objects.filter(query)[:SEARCH_LIMIT] if term else model.objects.none()
    return JsonResponse({"results": [_search_choice(result) for result in results]})


@require_http_methods(["POST"])
def person_create(request, pk):
    _editable_article(request, pk)
    if not request.user.has_perm("people.add_person"):
        return JsonResponse({"message": "You may not add people."}, status=403)
    try:
        name = payloads.text_payload(_body(request), ["name"])["name"].strip()
        person = Person(name=name, slug=_unique_slug(Person, name))
        person.full_clean()
    except ValidationError as problem:
        return _problem(problem)
    person.save()
    return JsonResponse(_choice(person), status=201)


@require_http_methods(["POST"])
def source_create(request, pk):
    _editable_article(request, pk)
    if not request.user.has_perm("articles.add_source"):
        return JsonResponse({"message": "You may not add sources."}, status=403)
    try:
        fields = payloads.text_payload(
            _body(request), ["kind", "title", "url", "anonymity_justification"]
        )
        source = Source(
            kind=fields["kind"],
            title=fields["title"].strip(),
            url=fields["url"].strip(),
            anonymity_justification=fields["anonymity_justification"],
        )
        source.full_clean()
    except ValidationError as problem:
        return _problem(problem)
    source.save()
    return JsonResponse(_choice(source), status=201)


def annotation_json(annotation: Annotation) -> dict:
    """An annotation as the Annotate screen's script reads it."""
    summary = annotation.get_kind_display()
    subject = annotation.speaker_name or str(
        annotation.mentioned_person
        or annotation.mentioned_organization
        or annotation.mentioned_place
        or ""
    )
    if subject:
        summary = f"{summary} — {subject}"
    return {
        "id": annotation.pk,
        "kind": annotation.kind,
        "kind_label": annotation.get_kind_display(),
        "exact": annotation.exact,
        "prefix": annotation.prefix,
        "suffix": annotation.suffix,
        "start": annotation.start,
        "end": annotation.end,
        "anchor_status": annotation.anchor_status,
        "orphaned": annotation.is_orphaned,
        # The words an edit replaced, while an editor has yet to confirm the new ones.
        "wording_before": annotation.wording_before if annotation.wording_changed else "",
        # Whether a quote's words are in its source's document, as a short label.
        "source_check": annotation.source_check,
        "source_check_label": (
            annotation.get_source_check_display() if annotation.source_check else ""
        ),
        "speaker_description": annotation.speaker_description,
        "note": annotation.note,
        "summary": summary,
        "version": service.annotation_version(annotation),
        **{name: _choice(getattr(annotation, name)) for name in service.LINKED_MODELS},
    }


def _their_version(annotation: dict) -> str:
    """The other editor's annotation in words, so a conflict shows what they changed."""
    parts = [annotation["summary"]]
    for name in ("position", "source"):
        if annotation[name]:
            parts.append(f"{name}: {annotation[name]['text']}")
    if annotation["note"]:
        parts.append(f"note: “{annotation['note']}”")
    return f"Theirs now reads: {'; '.join(parts)}."


def _editable_article(request, pk) -> Article:
    article = get_object_or_404(Article, pk=pk)
    if not can_annotate(request.user, article, "view"):
        raise PermissionDenied("You may not annotate this article.")
    return article


def _annotations_of(article):
    annotations = list(article.annotations.select_related(*RELATIONS).in_reading_order())
    return sorted(annotations, key=lambda annotation: not annotation.is_orphaned)


def _body_html(article, annotations, extra=()) -> str:
    """The body with its anchored annotations highlighted, and ``extra`` spans (suggestions)."""
    spans = [
        rendering.Span(
            start=annotation.start,
            end=annotation.end,
            kind=annotation.kind,
            title=annotation_json(annotation)["summary"],
            data=(("annotation-id", str(annotation.pk)),),
        )
        for annotation in annotations
        if not annotation.is_orphaned
    ]
    return rendering.render_body(article.body, [*spans, *extra])


def _state(article, status=200, annotation=None):
    annotations = _annotations_of(article)
    payload = {
        "annotations": [annotation_json(a) for a in annotations],
        "body_html": _body_html(article, annotations),
    }
    if annotation is not None:
        annotation = next(a for a in annotations if a.pk == annotation.pk)
        payload["annotation"] = annotation_json(annotation)
    return JsonResponse(payload, status=status)


def _urls(article) -> dict:
    collection = reverse("admin:articles_article_annotations", args=[article.pk])
    return {
        "annotations": collection,
        "positions": reverse("admin:articles_article_annotation_positions", args=[article.pk]),
        "search": collection + "search/",
        "people": reverse("admin:articles_quick_person", args=[article.pk]),
        "sources": reverse("admin:articles_quick_source", args=[article.pk]),
        "suggestions": reverse("admin:articles_article_suggestions", args=[article.pk]),
        "rejections": reverse("admin:articles_article_suggestion_rejections", args=[article.pk]),
        "acceptances": reverse("admin:articles_article_suggestion_acceptances", args=[article.pk]),
        "public": article.get_absolute_url(),
    }


def _body(request) -> bytes:
    """The request's body, for ``payloads`` to check; one too large is refused like bad input."""
    try:
        return request.body
    except RequestDataTooBig:
        raise ValidationError(TOO_LARGE, code="too_large") from None


def _problem(problem):
    if isinstance(problem, PermissionDenied):
        message = str(problem) or "You may not do that."
        return JsonResponse({"message": message, "errors": {}}, status=403)
    errors = problem.message_dict if hasattr(problem, "error_dict") else {}
    messages = [message for field in errors.values() for message in field] or problem.messages
    return JsonResponse({"message": " ".join(messages), "errors": errors}, status=400)


def _choice(instance):
    return None if instance is None else {"id": instance.pk, "text": str(instance)}


def _search_choice(instance):
    """A search result; a person shows their aliases, since an alias may be what matched."""
    choice = _choice(instance)
    if isinstance(instance, Person) and instance.alias_list:
        choice["text"] = f"{instance.name} ({', '.join(instance.alias_list)})"
    return choice


def _int(value):
    """A query parameter's id, or None: only ASCII digits ("²" is a digit to str.isdigit)."""
    if value and value.isascii() and value.isdigit() and len(value) <= 18:
        return int(value)
    return None


def _unique_slug(model, name):
    base = slugify(name)[:180] or "person"
    slug, number = base, 2
    while model.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug
