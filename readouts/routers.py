"""Reads go to a replica when there is one; editors always use the primary.

`DATABASE_REPLICA_URL` adds a `replica` database. The public reads of a
request may be served from it; everything an editor does goes to the primary
(writes, any request by a signed-in staff user or with credentials, the
admin, any unsafe method), so that editors read what they just wrote and
replica lag is only ever seen as a slightly older public page.
PrimaryOrReplicaMiddleware decides per request; outside a request (commands,
the shell, tests) everything uses the primary.
"""

from contextvars import ContextVar

from django.conf import settings

REPLICA = "replica"
PRIMARY = "default"

# True while a request that may read from the replica is being served.
replica_reads_allowed = ContextVar("replica_reads_allowed", default=False)


def replica_configured():
    return REPLICA in settings.DATABASES


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints):
        if replica_reads_allowed.get() and replica_configured():
            return REPLICA
        return PRIMARY

    def db_for_write(self, model, **hints):
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        # The replica is a copy of the primary: objects from both may be related.
        if {obj1._state.db, obj2._state.db} <= {PRIMARY, REPLICA}:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY
