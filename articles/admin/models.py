from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected as delete_selected_confirmed
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import models
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html

from articles.admin.annotate import annotate_urls
from articles.admin.forms import ArticleForm, PreviewLinkForm, SourceForm
from articles.admin.revisions import revision_urls
from articles.admin.suggestions import suggestion_urls
from articles.admin.workflow import workflow_urls
from articles.editorial import workflow
from articles.editorial.permissions import (
    LOCKED,
    can_annotate,
    can_edit_article,
    can_preview,
    deletion_refusal,
    locked_message,
)
from articles.editorial.queue import review_queue
from articles.editorial.revisions import revision_record
from articles.models import (
    Annotation,
    Article,
    Correction,
    PreviewLink,
    Quote,
    ReviewQueue,
    Source,
    Topic,
)
from articles.publishing import edition, story
from people.admin import SharedRecordAdmin
from people.images import ImageUploadField


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Source)
class SourceAdmin(SharedRecordAdmin):
    form = SourceForm
    list_display = ["title", "kind", "publisher", "date"]
    list_filter = ["kind"]
    list_select_related = ["publisher"]
    search_fields = ["title", "url", "publisher__name"]
    autocomplete_fields = ["publisher"]
    date_hierarchy = "date"


class CorrectionInline(admin.StackedInline):
    """Corrections are on the record: publishers append them, nobody changes or deletes them."""

    model = Correction
    extra = 0
    fields = ["kind", "text", "published_at"]
    readonly_fields = ["published_at"]

    def get_extra(self, request, obj=None, **kwargs):
        return 1 if obj is not None and self.has_add_permission(request, obj) else 0

    def has_add_permission(self, request, obj=None):
        return (
            super().has_add_permission(request, obj)
            and obj is not None
            and obj.first_published_at is not None
        )

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleForm
    # Uploads are checked and re-encoded: no bombs, no GPS coordinates of sources.
    formfield_overrides = {models.ImageField: {"form_class": ImageUploadField}}
    list_display = ["headline", "status", "published_at", "updated_at", "view_on_site_link"]
    list_filter = ["status", "topics"]
    search_fields = ["headline", "dek", "slug"]
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["bylines", "topics"]
    date_hierarchy = "published_at"
    actions = ["delete_selected"]
    readonly_fields = [
        "status",
        "created_at",
        "updated_at",
        "updated_by",
        "first_published_at",
        "published_at",
    ]
    inlines = [CorrectionInline]
    fieldsets = [
        (
            None,
            {"fields": ["headline", "slug", "dek", "bylines", "topics", "body", "loaded_version"]},
        ),
        (
            "Lead image",
            {
                "fields": [
                    "lead_image",
                    "lead_image_alt",
                    "lead_image_caption",
                    "lead_image_credit",
                ]
            },
        ),
        (
            "Status",
            {
                "fields": [
                    "status",
                    "embargo_until",
                    "created_at",
                    "updated_at",
                    "updated_by",
                    "first_published_at",
                    "published_at",
                ]
            },
        ),
    ]

    def get_urls(self):
        return [
            *annotate_urls(self.admin_site),
            *suggestion_urls(self.admin_site),
            *workflow_urls(self.admin_site),
            *revision_urls(self.admin_site),
            *super().get_urls(),
        ]

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return super().has_change_permission(request)
        return can_edit_article(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        if obj is None:
            return allowed
        return allowed and can_edit_article(request.user, obj) and not deletion_refusal(obj)

    def delete_view(self, request, object_id, extra_context=None):
        # The change form offers no delete button for a live or scheduled article, but an old
        # link or a typed address still leads here: say why and what to do, not a bare 403.
        article = self.get_object(request, unquote(object_id))
        reason = article and self._deletion_refused(request, article)
        if reason:
            self.message_user(request, reason, messages.ERROR)
            return redirect("admin:articles_article_change", article.pk)
        return super().delete_view(request, object_id, extra_context)

    @admin.action(permissions=["delete"], description=delete_selected_confirmed.short_description)
    def delete_selected(self, request, queryset):
        # All or nothing: deleting only part of what was confirmed is easy to miss, and the
        # confirmation page would have listed articles that then stay.
        kept = [article for article in queryset if deletion_refusal(article)]
        if not kept:
            return delete_selected_confirmed(self, request, queryset)
        names = ", ".join(f"“{article}”" for article in kept)
        if len(kept) == 1:
            refusal = (
                f"Nothing was deleted: {names} is published or scheduled. Unpublish it (or "
                "cancel its schedule) first, or leave it out of the selection."
            )
        else:
            refusal = (
                f"Nothing was deleted: {names} are published or scheduled. Unpublish them (or "
                "cancel their schedules) first, or leave them out of the selection."
            )
        self.message_user(request, refusal, messages.ERROR)
        return None

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        revision_record(
            article=form.instance,
            user=request.user,
            comment="Edited in the admin." if change else "Created in the admin.",
        )

    def save_formset(self, request, form, formset, change):
        for instance in formset.save(commit=False):
            if isinstance(instance, Correction) and instance.created_by_id is None:
                instance.created_by = request.user
            instance.save()
        formset.save_m2m()

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            buttons = workflow.transition_buttons(obj, request.user)
            context.update(
                can_annotate=can_annotate(request.user, obj, "add"),
                transition_buttons=buttons,
                transitions=[button.action for button in buttons],
                review_log=obj.review_log.select_related("actor"),
                annotations=obj.annotations.select_related(*Annotation.LINKS).in_reading_order(),
                preview_links=obj.preview_links.valid(),
                can_share=request.user.has_perm("articles.add_previewlink")
                and can_preview(request.user, obj),
                deletion_refused=self._deletion_refused(request, obj),
                locked_message=locked_message(obj),
                quote_changes=self._quote_changes(obj, buttons),
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    @staticmethod
    def _quote_changes(article, buttons):
        """What publishing now would change in live quotes: offered as a correction."""
        if not article.live or "publish" not in {button.action for button in buttons}:
            return []
        return edition.quote_changes(article=article, story=story.story_build(article))

    def _deletion_refused(self, request, article):
        """Why this article cannot be deleted, for a user who could otherwise delete it."""
        may_delete = super().has_delete_permission(request, article)
        # Approved and scheduled articles are locked against edits, not against this sentence.
        if may_delete and (can_edit_article(request.user, article) or article.status in LOCKED):
            return deletion_refusal(article)
        return None

    @admin.display(description="page")
    def view_on_site_link(self, article):
        return format_html('<a href="{}">View</a>', article.get_absolute_url())


class AnnotationAdminBase(admin.ModelAdmin):
    list_select_related = [
        "article",
        "speaker",
        "speaker_organization",
        "position__organization",
        "source",
    ]
    search_fields = [
        "exact",
        "note",
        "speaker__name",
        "speaker_description",
        "article__headline",
        "source__title",
    ]
    autocomplete_fields = [
        "article",
        "speaker",
        "speaker_organization",
        "position",
        "source",
        "mentioned_person",
        "mentioned_organization",
        "mentioned_place",
    ]
    readonly_fields = ["anchor_status", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["article", "kind", "exact", "start", "end", "anchor_status"]}),
        (
            "Who said it",
            {
                "fields": [
                    "speaker",
                    "speaker_organization",
                    "speaker_description",
                    "position",
                    "source",
                ]
            },
        ),
        (
            "What it mentions",
            {"fields": ["mentioned_person", "mentioned_organization", "mentioned_place"]},
        ),
        (None, {"fields": ["note", "prefix", "suffix", "created_at", "updated_at"]}),
    ]
    date_hierarchy = "created_at"

    # A listing to read: annotations are written on the Annotate screen alone, through the
    # annotate service, which checks each span against the body and keeps every change as
    # a revision of its article.
    actions = None

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # Asked by the admin when an article is deleted with its annotations: whoever may
        # remove them from the article may. Deleting one alone happens on the Annotate screen.
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or can_annotate(request.user, obj.article, "delete"))

    def delete_view(self, request, object_id, extra_context=None):
        raise PermissionDenied("Discard an annotation on its article's Annotate screen.")

    def has_view_permission(self, request, obj=None):
        allowed = super().has_view_permission(request, obj)
        return allowed and (obj is None or can_annotate(request.user, obj.article, "view"))

    @admin.display(description="text", ordering="exact")
    def text(self, annotation):
        return annotation.exact if len(annotation.exact) <= 80 else f"{annotation.exact[:79]}…"

    @admin.display(description="speaker")
    def speaker_name(self, annotation):
        return annotation.speaker_name

    @admin.display(description="article", ordering="article__headline")
    def article_link(self, annotation):
        url = reverse("admin:articles_article_change", args=[annotation.article_id])
        return format_html('<a href="{}">{}</a>', url, annotation.article)


@admin.register(Annotation)
class AnnotationAdmin(AnnotationAdminBase):
    list_display = ["text", "kind", "speaker_name", "anchor_status", "article_link"]
    list_filter = ["kind", "anchor_status"]


@admin.register(Quote)
class QuoteAdmin(AnnotationAdminBase):
    list_display = ["text", "speaker_name", "position", "source", "kind", "article_link"]
    list_filter = ["kind", "anchor_status", "source__kind"]


@admin.register(ReviewQueue)
class ReviewQueueAdmin(admin.ModelAdmin):
    """The editors' queue: articles awaiting review, the longest-waiting first."""

    list_display = ["headline", "created_by", "waiting_since", "why", "review_link"]
    list_display_links = None
    list_select_related = ["created_by"]
    search_fields = ["headline"]

    def get_queryset(self, request):
        return review_queue()

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("articles.review_article")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="waiting since", ordering="status_changed_at")
    def waiting_since(self, article):
        return article.status_changed_at

    @admin.display(description="why")
    def why(self, article):
        if article.status == Article.Status.PUBLISHED:
            return f"Published without review: {article.last_comment}"
        return "Submitted for review"

    @admin.display(description="")
    def review_link(self, article):
        url = reverse("admin:articles_article_change", args=[article.pk])
        return format_html('<a href="{}">Review</a>', url)


@admin.register(Correction)
class CorrectionAdmin(admin.ModelAdmin):
    """Corrections are on the record: appended to published stories, never changed or deleted.

    A mistaken correction is corrected by another correction.
    """

    list_display = ["article", "kind", "published_at", "created_by"]
    list_filter = ["kind"]
    list_select_related = ["article", "created_by"]
    search_fields = ["text", "article__headline"]
    autocomplete_fields = ["article"]
    date_hierarchy = "published_at"
    fields = ["article", "kind", "text"]

    def get_readonly_fields(self, request, obj=None):
        return ["article", "kind", "text", "published_at"] if obj else []

    def get_fields(self, request, obj=None):
        return [*self.fields, "published_at"] if obj else self.fields

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(PreviewLink)
class PreviewLinkAdmin(admin.ModelAdmin):
    """Preview links, for whoever may preview their article; an expired one stays expired."""

    form = PreviewLinkForm
    list_display = ["article", "expires_at", "revoked_at", "created_by"]
    list_select_related = ["article", "created_by"]
    readonly_fields = ["token", "created_by", "revoked_at"]
    autocomplete_fields = ["article"]

    def get_queryset(self, request):
        links = super().get_queryset(request)
        if request.user.has_perm("articles.review_article"):
            return links
        return links.filter(article__created_by=request.user)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.user = request.user
        return form

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not obj.is_valid:
            return [*self.readonly_fields, "article", "expires_at"]
        if obj is not None:
            return [*self.readonly_fields, "article"]
        return self.readonly_fields

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or can_preview(request.user, obj.article))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or can_preview(request.user, obj.article))

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
