from django import forms
from django.contrib import admin
from django.contrib.auth import get_permission_codename
from django.db import models
from django.db.models import Count

from people.forms import PersonForm
from people.images import ImageUploadField
from people.models import Organization, Person, Place, Position


class SharedRecordAdmin(admin.ModelAdmin):
    """Changing or deleting a record asks for the permission on that record, not only on its
    model: the project's object permission backend knows which records published stories show
    (a reporter may not rename a person a live story quotes)."""

    def has_change_permission(self, request, obj=None):
        return may(request, self.opts, "change", obj)

    def has_delete_permission(self, request, obj=None):
        return may(request, self.opts, "delete", obj)


def may(request, opts, action, obj=None) -> bool:
    perm = f"{opts.app_label}.{get_permission_codename(action, opts)}"
    return request.user.has_perm(perm, obj) if obj is not None else request.user.has_perm(perm)


class PositionInline(admin.TabularInline):
    model = Position
    fk_name = "person"
    extra = 0
    autocomplete_fields = ["organization"]
    fields = [
        "title",
        "organization",
        "start_date",
        "start_precision",
        "end_date",
        "end_precision",
        "end_note",
        "on_record",
    ]

    # A person's positions change with the person: whoever may not change them, may not these.
    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self._person_changeable(request, obj)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and self._person_changeable(request, obj)

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and self._person_changeable(request, obj)

    @staticmethod
    def _person_changeable(request, person) -> bool:
        return person is None or may(request, Person._meta, "change", person)


@admin.register(Person)
class PersonAdmin(SharedRecordAdmin):
    list_display = ["name", "alias_summary", "position_count", "wikidata_id", "updated_at"]
    search_fields = ["name", "aliases", "wikidata_id"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [PositionInline]
    date_hierarchy = "created_at"
    form = PersonForm
    fields = ["name", "slug", "aliases", "bio", "photo", "photo_credit", "wikidata_id"]
    # Uploads are checked and re-encoded: no bombs, no GPS coordinates of sources.
    formfield_overrides = {models.ImageField: {"form_class": ImageUploadField}}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(position_total=Count("positions"))

    @admin.display(description="aliases")
    def alias_summary(self, person):
        return ", ".join(person.alias_list)

    @admin.display(description="positions", ordering="position_total")
    def position_count(self, person):
        return person.position_total


@admin.register(Organization)
class OrganizationAdmin(SharedRecordAdmin):
    list_display = ["name", "kind", "part_of", "website"]
    list_filter = ["kind"]
    list_select_related = ["part_of"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["part_of"]


@admin.register(Place)
class PlaceAdmin(SharedRecordAdmin):
    list_display = ["name", "description", "wikidata_id"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}


class PositionForm(forms.ModelForm):
    """A position belongs to its person: whoever may not change the person may not add one."""

    request = None  # set by the admin for each request

    def clean(self):
        cleaned = super().clean()
        person = cleaned.get("person")
        if person is not None and not may(self.request, Person._meta, "change", person):
            self.add_error(
                "person",
                f"Published stories show {person}: only an editor can add or change their "
                "positions. Ask one.",
            )
        return cleaned


@admin.register(Position)
class PositionAdmin(SharedRecordAdmin):
    form = PositionForm
    list_display = ["title", "person", "organization", "period", "end_note", "on_record"]
    list_filter = ["organization", "on_record"]
    list_select_related = ["person", "organization"]
    search_fields = ["title", "person__name", "person__aliases", "organization__name"]
    autocomplete_fields = ["person", "organization"]
    date_hierarchy = "start_date"

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.request = request
        return form
