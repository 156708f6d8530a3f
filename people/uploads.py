"""Uploaded files are stored while the form is validated, so that storage trouble is a message.

Django writes an upload to storage when the model is saved, after validation: a full disk or
a read-only volume would then be a server error. Storing it during validation turns that into
an error next to the field, and the admin's transaction keeps the record from being half-saved.
"""

import logging

from django.core.files import File
from django.db import models

logger = logging.getLogger(__name__)

STORAGE_FAILED = (
    "The image could not be stored: the media storage is full or cannot be written. Nothing "
    "was saved. Try again later, or tell an administrator."
)


class StoreUploadsWhileValidating:
    """A ModelForm mixin: once the form is otherwise valid, write each new upload to storage."""

    def _post_clean(self):
        super()._post_clean()
        if self.errors:
            return  # nothing will be saved, so nothing is stored
        for name, value in list(self.cleaned_data.items()):
            if not isinstance(value, File) or name not in self.changed_data:
                continue
            field = self._meta.model._meta.get_field(name)
            if not isinstance(field, models.FileField):
                continue
            try:
                stored = field.storage.save(
                    field.generate_filename(self.instance, value.name),
                    value,
                    max_length=field.max_length,
                )
            except OSError:
                logger.exception("Could not store an upload for %s", name)
                self.add_error(name, STORAGE_FAILED)
                continue
            setattr(self.instance, name, stored)
