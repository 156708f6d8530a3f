from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.backup import BackupError, newsroom_import


class Command(BaseCommand):
    help = (
        "Restore an archive written by export_newsroom into an empty database (migrated, no "
        "content yet) and media folder, keeping every primary key. Everything is restored in "
        "one transaction, or nothing: an archive from another migration state, a database "
        "with content, a malformed manifest, a file whose checksum does not match, or a media "
        "file that is not an image an upload accepts is refused. Article bodies are sanitized "
        "as on a save, and the published edition is rendered again from its revisions."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="The .tar.gz archive to restore.")

    def handle(self, *args, archive, **options):
        try:
            report = newsroom_import(archive=Path(archive))
        except (BackupError, OSError) as problem:
            raise CommandError(str(problem)) from None
        self.stdout.write(self.style.SUCCESS(f"Restored {archive}:"))
        self.stdout.write("\n".join(report.lines()))
