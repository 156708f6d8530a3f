import json
import sys

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from articles.annotations.w3c import annotations_import
from articles.models import Article


class Command(BaseCommand):
    help = (
        "Import a W3C Web Annotation collection (as served at /articles/<slug>/annotations.jsonld) "
        "into an article. All of it is imported, or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="The article's slug.")
        parser.add_argument("path", help="The collection's JSON-LD file, or - for standard input.")

    def handle(self, *args, slug, path, **options):
        article = Article.objects.filter(slug=slug).first()
        if article is None:
            raise CommandError(f"No article with the slug “{slug}”.")
        try:
            with sys.stdin if path == "-" else open(path, encoding="utf-8") as stream:
                document = json.load(stream)
        except (OSError, ValueError) as problem:
            raise CommandError(f"Could not read {path}: {problem}") from None
        except RecursionError:
            raise CommandError(
                f"Could not read {path}: its JSON is nested too deeply to be an annotation "
                "collection."
            ) from None
        try:
            created = annotations_import(article=article, document=document)
        except ValidationError as problem:
            raise CommandError(" ".join(problem.messages)) from None
        except PermissionDenied as refusal:
            raise CommandError(str(refusal)) from None
        self.stdout.write(
            self.style.SUCCESS(f"Imported {len(created)} annotations into “{article}”.")
        )
