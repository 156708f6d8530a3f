from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from articles.admin_annotate import annotate_urls
from articles.forms import AnnotationForm
from articles.models import Annotation, Article, Quote, Source, Topic
from articles.permissions import can_annotate, can_edit_article


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "publisher", "date"]
    list_filter = ["kind"]
    list_select_related = ["publisher"]
    search_fields = ["title", "url", "publisher__name"]
    autocomplete_fields = ["publisher"]
    date_hierarchy = "date"


class AnnotationInline(admin.TabularInline):
    """The article's annotations, listed on its page; each opens on its own page to edit."""

    model = Annotation
    extra = 0
    show_change_link = True
    fields = ["kind", "exact", "speaker_name", "position", "source", "anchor_status"]
    readonly_fields = fields

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("speaker", "speaker_organization", "position__organization", "source")
            .in_reading_order()
        )

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description="speaker")
    def speaker_name(self, annotation):
        return annotation.speaker_name


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["headline", "status", "published_at", "updated_at", "view_on_site_link"]
    list_filter = ["status", "topics"]
    search_fields = ["headline", "dek", "slug"]
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["bylines", "topics"]
    date_hierarchy = "published_at"
    readonly_fields = ["status", "created_at", "updated_at", "first_published_at", "published_at"]
    inlines = [AnnotationInline]
    fieldsets = [
        (None, {"fields": ["headline", "slug", "dek", "bylines", "topics", "body"]}),
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
                    "created_at",
                    "updated_at",
                    "first_published_at",
                    "published_at",
                ]
            },
        ),
    ]

    def get_urls(self):
        return annotate_urls(self.admin_site) + super().get_urls()

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return super().has_change_permission(request)
        return can_edit_article(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or can_edit_article(request.user, obj))

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["can_annotate"] = obj is not None and can_annotate(request.user, obj, "add")
        return super().render_change_form(request, context, add, change, form_url, obj)

    @admin.display(description="page")
    def view_on_site_link(self, article):
        return format_html('<a href="{}">View</a>', article.get_absolute_url())


class AnnotationAdminBase(admin.ModelAdmin):
    form = AnnotationForm
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

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or can_annotate(request.user, obj.article, "change"))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or can_annotate(request.user, obj.article, "delete"))

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

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
