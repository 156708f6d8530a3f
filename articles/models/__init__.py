from articles.models.annotation import Annotation, AnnotationQuerySet, Quote
from articles.models.article import Article, ArticleQuerySet, Topic
from articles.models.source import Source

__all__ = [
    "Annotation",
    "AnnotationQuerySet",
    "Article",
    "ArticleQuerySet",
    "Quote",
    "Source",
    "Topic",
]
