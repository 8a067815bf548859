import sqlite3
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from readouts.database import libpq_environment


class Command(BaseCommand):
    help = (
        "Back up the whole archive: pg_dump (custom format) on PostgreSQL, the SQLite "
        "online backup API on SQLite. Restore with `manage.py restore FILE`."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            help="The file to write (default: backups/readouts-<timestamp>.<dump|sqlite3>).",
        )

    def handle(self, *args, output, **options):
        vendor = connection.vendor
        if output is None:
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
            suffix = "dump" if vendor == "postgresql" else "sqlite3"
            output = Path(settings.BASE_DIR) / "backups" / f"readouts-{stamp}.{suffix}"
        output.parent.mkdir(parents=True, exist_ok=True)
        if vendor == "postgresql":
            dump = subprocess.run(
                ["pg_dump", "--format=custom", "--no-owner", "--file", str(output)],
                env=libpq_environment(connection.settings_dict),
                capture_output=True,
                text=True,
            )
            if dump.returncode:
                raise CommandError(f"pg_dump failed: {dump.stderr.strip()}")
        elif vendor == "sqlite":
            connection.ensure_connection()
            with sqlite3.connect(output) as target:
                # The online backup API copies a consistent snapshot, even of
                # a database in use (or in memory).
                connection.connection.backup(target)
        else:
            raise CommandError(f"No backup method for {vendor} databases.")
        self.stdout.write(str(output))
