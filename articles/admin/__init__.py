"""The editorial desk in the Django admin: ModelAdmins and the screens they open, kept thin."""

from articles.admin import models  # noqa: F401  (registers the ModelAdmins)
