import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

DEMO_STAFF = [
    # username, role (group), superuser
    ("reporter", "Reporter", False),
    ("editor", "Editor", False),
    ("publisher", "Publisher", False),
    ("admin", None, True),
]


class Command(BaseCommand):
    help = (
        "Set up a demo newsroom: migrate, load the Foote story, create demo staff accounts "
        "with fresh passwords (printed), then serve it on 127.0.0.1:8000."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-serve", action="store_true", help="Prepare everything but do not serve."
        )
        parser.add_argument("--addrport", default="127.0.0.1:8000")

    def handle(self, *args, no_serve=False, addrport="127.0.0.1:8000", **options):
        call_command("migrate", interactive=False, verbosity=0)
        call_command("load_foote_story", stdout=self.stdout)
        credentials = self._create_staff()
        self.stdout.write("\nDemo staff accounts (passwords are new each time demo runs):")
        for username, role, password in credentials:
            self.stdout.write(f"  {username:<10} {password}   {role}")
        self.stdout.write(f"\nAdmin: http://{addrport}/admin/   Site: http://{addrport}/\n")
        if not no_serve:
            call_command("runserver", addrport, use_reloader=False)

    @transaction.atomic
    def _create_staff(self):
        User = get_user_model()
        credentials = []
        for username, role, superuser in DEMO_STAFF:
            user, _ = User.objects.get_or_create(username=username)
            password = secrets.token_urlsafe(9)
            user.set_password(password)
            user.is_staff = True
            user.is_superuser = superuser
            user.email = f"{username}@newsroom.invalid"
            user.save()
            if role:
                user.groups.set([Group.objects.get(name=role)])
            credentials.append((username, role or "Superuser", password))
        return credentials
