from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "articles"
    verbose_name = "Articles and sources"

    def ready(self):
        # Registers the article and its annotations with django-reversion, and keeps
        # the published edition in step with the people it shows.
        from articles.editorial import revisions  # noqa: F401
        from articles.publishing import signals  # noqa: F401
