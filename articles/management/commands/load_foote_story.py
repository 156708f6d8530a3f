from django.core.management.base import BaseCommand

from articles.seeding import foote_story_load


class Command(BaseCommand):
    help = "Load the Foote resignation story, annotated and published. Safe to run again."

    def handle(self, *args, **options):
        article, created = foote_story_load()
        if created:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Loaded “{article.headline}” with {article.annotations.count()} "
                    f"annotations, published at {article.get_absolute_url()}"
                )
            )
        else:
            self.stdout.write(f"“{article.headline}” is already loaded; nothing changed.")
