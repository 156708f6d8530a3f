from django import forms

from people.models import Person
from people.uploads import StoreUploadsWhileValidating


class PersonForm(StoreUploadsWhileValidating, forms.ModelForm):
    class Meta:
        model = Person
        fields = ["name", "slug", "aliases", "bio", "photo", "photo_credit", "wikidata_id"]
