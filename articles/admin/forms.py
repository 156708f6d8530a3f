from django import forms

from articles.annotations import anchoring, diffing
from articles.models import Annotation, Article
from people.uploads import StoreUploadsWhileValidating


class AnnotationForm(forms.ModelForm):
    """An annotation typed by hand: its words are located in the body when unambiguous."""

    class Meta:
        model = Annotation
        fields = [
            "article",
            "kind",
            "exact",
            "start",
            "end",
            "speaker",
            "speaker_organization",
            "speaker_description",
            "position",
            "source",
            "mentioned_person",
            "mentioned_organization",
            "mentioned_place",
            "note",
            "prefix",
            "suffix",
        ]
        help_texts = {
            "start": "Leave empty to find the words in the body; needed only when they occur "
            "more than once. The Annotate screen fills this in for you.",
        }

    def clean(self):
        cleaned = super().clean()
        article, exact = cleaned.get("article"), cleaned.get("exact")
        if article and exact and cleaned.get("start") is None:
            self._locate(article.plain_text, exact, cleaned)
        elif exact and cleaned.get("end") is None and cleaned.get("start") is not None:
            cleaned["end"] = cleaned["start"] + len(exact)
        return cleaned

    def _locate(self, text, exact, cleaned):
        starts = anchoring.occurrences(text, exact)
        if not starts:
            self.add_error("exact", "These words are not in the article's body: copy them exactly.")
        elif len(starts) > 1:
            self.add_error(
                "start",
                f"These words occur {len(starts)} times in the body (at "
                f"{', '.join(map(str, starts))}): give the start of the one you mean.",
            )
        else:
            cleaned["start"], cleaned["end"] = starts[0], starts[0] + len(exact)


class ArticleForm(StoreUploadsWhileValidating, forms.ModelForm):
    """The article form, refusing to overwrite a save made since the editor opened it.

    The page carries the version it was loaded at and, for the text fields, the values it
    showed (Django's hidden initial inputs): on a conflict the editor is told what the other
    person changed, their own typing stays in the form, and saving again merges onto the
    newest version.
    """

    WATCHED = ("headline", "dek", "body")
    # Written only by the workflow: a save from this form must keep them as they are now.
    WORKFLOW_FIELDS = (
        "status",
        "status_changed_at",
        "live",
        "published_at",
        "first_published_at",
        "published_revision",
        "has_unpublished_changes",
    )

    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Article
        fields = ["headline", "slug", "dek", "body"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["loaded_version"].initial = self.instance.version
        for name in self.WATCHED:
            if name in self.fields:
                self.fields[name].show_hidden_initial = True

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None:
            return cleaned
        current = Article.objects.select_for_update().get(pk=self.instance.pk)
        # The row stays locked until the admin's transaction ends, so a publication cannot
        # slip in between and be undone by this save.
        for name in self.WORKFLOW_FIELDS:
            setattr(self.instance, name, getattr(current, name))
        if cleaned.get("loaded_version") in (None, current.version):
            return cleaned
        self.conflict = self._changes_since_loaded(current)
        self._merge_onto(current)
        who = current.updated_by.get_username() if current.updated_by else "Someone"
        raise forms.ValidationError(
            f"{who} saved this article while you were editing it, so your changes were not "
            "saved. What they changed is shown below; your text is still in the form. Merge "
            "the two, then save again.",
            code="conflict",
        )

    def _loaded_value(self, name):
        return self.data.get(self.add_initial_prefix(name), "")

    def _changes_since_loaded(self, current):
        """Per field, what the other person changed: [(label, [Change, ...]), ...]."""
        found = []
        for name in self.WATCHED:
            if name not in self.fields:
                continue
            loaded, now = self._loaded_value(name), getattr(current, name)
            if name == "body":
                loaded, now = anchoring.plain_text(loaded), anchoring.plain_text(now)
            if loaded != now:
                found.append((self.fields[name].label, diffing.changes(loaded, now)))
        return found

    def _merge_onto(self, current):
        data = self.data.copy()
        data["loaded_version"] = current.version
        for name in self.WATCHED:
            data[self.add_initial_prefix(name)] = getattr(current, name)
        self.data = data
