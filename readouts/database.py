"""What the backup commands and migrations need to know about the database connection."""

import os


def libpq_environment(settings_dict):
    """Environment variables that point pg_dump and pg_restore at Django's database."""
    variables = {
        "PGHOST": settings_dict.get("HOST"),
        "PGPORT": str(settings_dict.get("PORT") or ""),
        "PGUSER": settings_dict.get("USER"),
        "PGPASSWORD": settings_dict.get("PASSWORD"),
        "PGDATABASE": settings_dict.get("NAME"),
    }
    return {**os.environ, **{name: value for name, value in variables.items() if value}}


def on_postgresql(statements):
    """A RunPython operation running these SQL statements on PostgreSQL, and nothing elsewhere.

    For what SQLite has no such thing as: generated search columns and their
    indexes, planner statistics.
    """

    def operation(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return operation
