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
        from articles.site.filters import ArticleFilter, PersonFilter, QuoteFilter
        from newsroom.caching import query_parameters_read

        # The page cache keeps a page per value of these, and of nothing else.
        for filterset in (ArticleFilter, QuoteFilter, PersonFilter):
            query_parameters_read(filterset.base_filters)
        # Not ``quote`` (a source page's marked passage): any value would make a page apart,
        # and those pages are few; they are served uncached.
