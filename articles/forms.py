from django import forms

from articles.models import Annotation


def occurrences(text: str, words: str) -> list[int]:
    """Every offset at which ``words`` starts in ``text``."""
    found, at = [], text.find(words)
    while at != -1:
        found.append(at)
        at = text.find(words, at + 1)
    return found


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
        starts = occurrences(text, exact)
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
