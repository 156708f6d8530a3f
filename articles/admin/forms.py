import datetime

from django import forms
from django.utils import timezone

from articles import documents
from articles.annotations import anchoring, diffing
from articles.editorial.permissions import can_preview
from articles.models import Article, PreviewLink, Source
from people.uploads import StoreUploadsWhileValidating


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


PREVIEW_LIFETIME_MAX = datetime.timedelta(days=30)


class PreviewLinkForm(forms.ModelForm):
    """A preview link for an article its maker may preview, valid for at most 30 days.

    An expired or revoked link stays so: a new link is a new decision, with a new address.
    """

    user = None  # set by the admin for each request

    class Meta:
        model = PreviewLink
        fields = ["article", "expires_at"]

    def clean_article(self):
        article = self.cleaned_data["article"]
        if not can_preview(self.user, article):
            raise forms.ValidationError(
                "You may share only articles you may read: your own drafts, or any article "
                "if you review them."
            )
        return article

    def clean_expires_at(self):
        expires_at = self.cleaned_data["expires_at"]
        now = timezone.now()
        if expires_at <= now:
            raise forms.ValidationError("Choose a moment in the future for the link to expire.")
        if expires_at > now + PREVIEW_LIFETIME_MAX:
            raise forms.ValidationError(
                "A preview link lasts 30 days at most: choose an earlier end."
            )
        if self.instance.pk is not None and not self.instance.is_valid:
            raise forms.ValidationError(
                "This link has expired or been revoked and stays so: create a new link instead."
            )
        return expires_at


class SourceForm(forms.ModelForm):
    """A source, whose document may be pasted or read from an uploaded .txt or .pdf file."""

    document_file = forms.FileField(
        label="Document file",
        required=False,
        help_text="A .txt or .pdf file: its text replaces the document's text above. Only the "
        "text is kept.",
    )

    class Meta:
        model = Source
        fields = [
            "kind",
            "title",
            "publisher",
            "url",
            "date",
            "anonymity_justification",
            "document",
        ]

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("document_file")
        if upload:
            try:
                cleaned["document"] = documents.document_text(upload)
            except forms.ValidationError as problem:
                self.add_error("document_file", problem)
        return cleaned
