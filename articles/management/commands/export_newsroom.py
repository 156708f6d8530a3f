from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.backup import BackupError, newsroom_export


class Command(BaseCommand):
    help = (
        "Write all of the newsroom into one new .tar.gz archive: articles with their revisions, "
        "review log, annotations, corrections and preview links; people, organisations, places, "
        "positions, sources and topics; staff accounts and groups, password hashes included, so "
        "that logins work after a restore; and the media files (not the renditions, which pages "
        "make again). The archive is readable by its owner only: keep it as safe as the "
        "database. Restore it with import_newsroom."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="The archive to write, ending in .tar.gz; new.")

    def handle(self, *args, archive, **options):
        try:
            report = newsroom_export(archive=Path(archive))
        except (BackupError, OSError) as problem:
            raise CommandError(str(problem)) from None
        size = Path(archive).stat().st_size
        self.stdout.write(self.style.SUCCESS(f"Wrote {archive} ({size:,} bytes):"))
        self.stdout.write("\n".join(report.lines()))
