from django.core.management.base import BaseCommand

from articles.models import Article
from articles.publishing.edition import edition_refresh


class Command(BaseCommand):
    help = (
        "Render every live story again from its published revision, as readers see it. Run it "
        "once after an upgrade that changes how stories are rendered; it publishes no edit."
    )

    def handle(self, *args, **options):
        count = edition_refresh(articles=Article.objects.all())
        self.stdout.write(f"Rendered {count} live stories again.")
