import sqlite3
import subprocess
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from readouts.database import libpq_environment


class Command(BaseCommand):
    help = "Replace the archive's database with a backup made by `manage.py backup`."

    def add_arguments(self, parser):
        parser.add_argument("backup", type=Path)
        parser.add_argument(
            "--yes", action="store_true", help="Do not ask: the current data will be replaced."
        )

    def handle(self, *args, backup, yes, **options):
        if not backup.is_file():
            raise CommandError(f"No backup file at {backup}.")
        if not yes and input(f"Replace the archive with {backup}? [y/N] ").lower() != "y":
            raise CommandError("Nothing restored.")
        if connection.vendor == "postgresql":
            connection.close()
            restore = subprocess.run(
                [
                    "pg_restore",
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--single-transaction",
                    "--dbname",
                    connection.settings_dict["NAME"],
                    str(backup),
                ],
                env=libpq_environment(connection.settings_dict),
                capture_output=True,
                text=True,
            )
            if restore.returncode:
                raise CommandError(f"pg_restore failed: {restore.stderr.strip()}")
        elif connection.vendor == "sqlite":
            connection.ensure_connection()
            with sqlite3.connect(backup) as source:
                source.backup(connection.connection)
        else:
            raise CommandError(f"No restore method for {connection.vendor} databases.")
        self.stdout.write(f"Restored {backup}.")
