import random
import time

from django.core.management.base import BaseCommand, CommandError

from readouts import caching, facets, synthetic


class Command(BaseCommand):
    help = (
        "Fill the database with a synthetic archive for benchmarks: meetings over 25 years, "
        "Japanese originals with provisional English translations, points, topics and "
        "annotations. Everything is marked synthetic (issuer “Synthetic data (not a real "
        "readout)”, titles starting “[Synthetic]”) and --clear removes it again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--meetings", type=int, default=50_000)
        parser.add_argument("--seed", type=int, help="The same seed makes the same archive.")
        parser.add_argument(
            "--clear", action="store_true", help="Remove previously generated synthetic data first."
        )
        parser.add_argument("--batch-size", type=int, default=1000, help="Meetings per insert.")

    def handle(self, *args, meetings, seed, clear, batch_size, **options):
        if meetings < 0:
            raise CommandError("--meetings must be zero or more.")
        started = time.monotonic()
        if clear:
            synthetic.clear()
            self.stderr.write(f"Removed synthetic data in {time.monotonic() - started:.1f} s.")
        elif synthetic.has_synthetic_data():
            raise CommandError("This database already holds synthetic data: add --clear.")
        if meetings == 0:
            self.recount()
            return
        if seed is None:
            seed = random.SystemRandom().randrange(2**31)
        self.stderr.write(f"Generating {meetings:,} synthetic meetings with --seed {seed}.")
        generator = synthetic.ArchiveGenerator(
            seed, batch_size=batch_size, log=lambda line: self.stderr.write(line)
        )
        counts = generator.generate(meetings)
        self.recount()
        self.stdout.write(
            f"Generated {counts.meetings:,} meetings, {counts.readouts:,} readouts, "
            f"{counts.points:,} points, {counts.annotations:,} annotations and "
            f"{counts.people:,} people in {time.monotonic() - started:.1f} s (seed {seed})."
        )

    def recount(self):
        """Bulk inserts and deletes raise no signals: facets are recounted, caches let go."""
        started = time.monotonic()
        facets.rebuild()
        caching.next_generation()
        self.stderr.write(f"Counted facets in {time.monotonic() - started:.1f} s.")
