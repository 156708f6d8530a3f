from django.core.management.base import BaseCommand, CommandError

from articles.editorial import workflow


class Command(BaseCommand):
    help = (
        "Publish every scheduled article whose time has come. Run it from cron every minute; "
        "it exits with an error, naming each article and why, when a due one cannot be published."
    )

    def handle(self, *args, **options):
        published, refused = workflow.publish_due()
        for article in published:
            self.stdout.write(f"Published “{article}” ({article.get_absolute_url()})")
        if not (published or refused):
            self.stdout.write("Nothing is due.")
        if refused:
            reasons = "\n".join(f"Not published: {reason}" for _, reason in refused)
            raise CommandError(reasons)
