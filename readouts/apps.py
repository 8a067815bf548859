from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ReadoutsConfig(AppConfig):
    name = "readouts"
    verbose_name = "Readout archive"

    def ready(self):
        from . import caching, facets
        from .roles import ensure_editorial_groups

        # Permissions are created after migrations run, so the groups that
        # hold them are ensured then too, on every migrate.
        post_migrate.connect(ensure_editorial_groups, sender=self)
        caching.connect()
        facets.connect()
