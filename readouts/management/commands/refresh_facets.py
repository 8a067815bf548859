from django.core.management.base import BaseCommand

from readouts import caching, facets


class Command(BaseCommand):
    help = (
        "Recount every facet from the archive. Counts are kept up to date as the "
        "archive changes; run this after loading data by other means, or to repair."
    )

    def handle(self, *args, **options):
        facets.rebuild(log=self.stdout.write if options["verbosity"] > 1 else None)
        caching.next_generation()
        self.stdout.write(self.style.SUCCESS(f"{facets.listed_count()} listed readouts counted."))
