from articles.models.annotation import Annotation, AnnotationQuerySet, Quote
from articles.models.article import Article, ReviewQueue, Topic
from articles.models.preview import PreviewLink
from articles.models.review import Correction, ReviewLogEntry
from articles.models.source import Source
from articles.models.suggestion import RejectedSuggestion
from articles.publishing.models import (
    PublishedAnnotation,
    PublishedArticle,
    PublishedByline,
    PublishedSource,
    PublishedTopic,
    RetiredSlug,
)

__all__ = [
    "Annotation",
    "AnnotationQuerySet",
    "Article",
    "Correction",
    "PreviewLink",
    "PublishedAnnotation",
    "PublishedArticle",
    "PublishedByline",
    "PublishedSource",
    "PublishedTopic",
    "Quote",
    "RejectedSuggestion",
    "ReviewLogEntry",
    "RetiredSlug",
    "ReviewQueue",
    "Source",
    "Topic",
]
