"""Uploaded files are stored while the form is validated, so that storage trouble is a message.

Django writes an upload to storage when the model is saved, after validation: a full disk or
a read-only volume would then be a server error. Storing it during validation turns that into
an error next to the field, and the admin's transaction keeps the record from being half-saved.

Every upload is stored under a name no one can guess (``UnguessableName``): a draft's lead image
is a public file as soon as it is stored, and must not be found by trying ``img_0423.jpg``.
"""

import logging
import secrets
from pathlib import PurePosixPath

from django.core.files import File
from django.db import models
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.text import slugify

logger = logging.getLogger(__name__)

STORAGE_FAILED = (
    "The image could not be stored: the media storage is full or cannot be written. Nothing "
    "was saved. Try again later, or tell an administrator."
)

# 128 random bits; the readable part is kept short so that the whole name stays well within a
# FileField's 100 characters, which storage would otherwise meet by cutting the random part.
TOKEN_BYTES = 16
SLUG_CHARACTERS = 32


@deconstructible
class UnguessableName:
    """The ``upload_to`` of every uploaded image: ``folder/readable-slug-<random hex>.ext``.

    ``folder`` may hold strftime codes, as a string ``upload_to`` does. The slug of the
    uploaded file's name keeps the file recognisable to an editor; the random part makes it
    impossible to find without being given its address. Files stored before keep their names.
    """

    def __init__(self, folder: str):
        self.folder = folder

    def __call__(self, instance, filename: str) -> str:
        original = PurePosixPath(filename or "")
        stem = slugify(original.stem)[:SLUG_CHARACTERS].strip("-_") or "image"
        extension = slugify(original.suffix.lstrip("."))
        name = f"{stem}-{secrets.token_hex(TOKEN_BYTES)}" + (f".{extension}" if extension else "")
        folder = timezone.localtime().strftime(self.folder)
        return str(PurePosixPath(folder) / name)

    def __eq__(self, other):
        return isinstance(other, UnguessableName) and other.folder == self.folder

    def __hash__(self):
        return hash(self.folder)


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
