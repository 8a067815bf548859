"""What the backup commands need to know about the database connection."""

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
