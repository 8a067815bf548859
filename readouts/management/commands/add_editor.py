import getpass
import os

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from readouts.roles import EDITORS, REVIEWERS


class Command(BaseCommand):
    help = "Create (or update) a staff account in the Editors or Reviewers group."

    def add_arguments(self, parser):
        parser.add_argument("--username")
        parser.add_argument("--email", default="")
        parser.add_argument("--role", choices=["editor", "reviewer"], default="editor")
        parser.add_argument(
            "--noinput",
            action="store_true",
            help="Take the password from the EDITOR_PASSWORD environment variable.",
        )

    def handle(self, *args, username, email, role, noinput, **options):
        username = username or (None if noinput else input("Username: ").strip())
        if not username:
            raise CommandError("Give a username.")
        password = os.environ.get("EDITOR_PASSWORD") if noinput else self.ask_password()
        if not password:
            raise CommandError("Give a password (EDITOR_PASSWORD with --noinput).")
        user, created = get_user_model().objects.get_or_create(
            username=username, defaults={"email": email}
        )
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        user.set_password(password)
        user.is_staff = True
        user.save()
        user.groups.add(Group.objects.get(name=REVIEWERS if role == "reviewer" else EDITORS))
        verb = "Created" if created else "Updated"
        self.stdout.write(f"{verb} {role} “{username}”: log in at /admin/.")

    def ask_password(self):
        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Password (again): "):
            raise CommandError("The passwords differ.")
        return first
