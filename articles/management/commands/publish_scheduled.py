from django.core.management.base import BaseCommand

from articles import workflow


class Command(BaseCommand):
    help = "Publish every scheduled article whose time has come. Run it from cron every minute."

    def handle(self, *args, **options):
        published = workflow.publish_due()
        for article in published:
            self.stdout.write(f"Published “{article}” ({article.get_absolute_url()})")
        if not published:
            self.stdout.write("Nothing is due.")
