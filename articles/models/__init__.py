from articles.models.annotation import Annotation, AnnotationQuerySet, Quote
from articles.models.article import Article, ArticleQuerySet, ReviewQueue, Topic
from articles.models.preview import PreviewLink
from articles.models.review import Correction, ReviewLogEntry
from articles.models.source import Source

__all__ = [
    "Annotation",
    "AnnotationQuerySet",
    "Article",
    "ArticleQuerySet",
    "Correction",
    "PreviewLink",
    "Quote",
    "ReviewLogEntry",
    "ReviewQueue",
    "Source",
    "Topic",
]
