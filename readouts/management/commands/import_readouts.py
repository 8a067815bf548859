import json
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.checks import Tags
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, transaction

from readouts.importing import Importer, importing_user, issuer_for
from readouts.models import Issuer
from readouts.parsing import ReadoutParseError, parse_readout_bytes

READOUT_SUFFIXES = {".txt", ".html", ".htm"}
SOURCES_FILE = "sources.json"
COMMIT_EVERY = 100


class Command(BaseCommand):
    help = (
        "Import readout texts (.txt, or .html pages saved from the issuing site) as drafts. "
        "A sources.json beside the files may give each file's source_url, issuer and language."
    )
    # What an import relies on. The URL, template and admin checks, which it
    # does not, took a third of a second to import what they check, each run.
    requires_system_checks = [Tags.models]

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path, help="Files or directories.")
        parser.add_argument(
            "--publish",
            action="store_true",
            help="Publish at once: for loading readouts their issuer has already published.",
        )
        parser.add_argument("--dry-run", action="store_true", help="Parse only; save nothing.")
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="Print the results as JSON."
        )
        parser.add_argument("--user", help="Record the import as done by this user.")
        parser.add_argument(
            "--issuer",
            help="Issuer slug (kantei, mofa, white-house...) when the source URL does not say.",
        )
        parser.add_argument("--source-url", default="", help="Source URL, for a single file.")

    def handle(self, *args, paths, publish, dry_run, as_json, user, issuer, source_url, **options):
        files = list(readout_files(paths))
        if not files:
            raise CommandError("No .txt or .html files found in the given paths.")
        if source_url and len(files) > 1:
            raise CommandError("--source-url names the source of one file, not of many.")
        self.importer = None if dry_run else Importer(user=self.get_user(user), publish=publish)
        self.issuer = self.get_issuer(issuer)

        started = time.perf_counter()
        outcomes = []
        progress = Progress(len(files), enabled=len(files) > 1 and sys.stderr.isatty())
        chunks = [
            files[start : start + COMMIT_EVERY] for start in range(0, len(files), COMMIT_EVERY)
        ]
        # The next chunk is parsed in a thread while this one is written: the
        # writes wait on the database, and waiting lets the parsing thread run.
        # It parses only; the database is used from this thread alone.
        with ThreadPoolExecutor(max_workers=1) as parser:
            parsing = parser.submit(parse_files, chunks[0])
            for following in [*chunks[1:], None]:
                parsed = parsing.result()
                if following:
                    parsing = parser.submit(parse_files, following)
                outcomes += self.handle_chunk(parsed, source_url, dry_run)
                progress.advance(len(parsed))
        progress.finish()

        failed = [outcome for outcome in outcomes if "error" in outcome]
        if as_json:
            self.stdout.write(dump_json(outcomes))
        for outcome in failed:
            self.stderr.write(f"{outcome['file']}: {outcome['error']}")
        self.stderr.write(summary(outcomes, dry_run, time.perf_counter() - started))
        if failed:
            raise CommandError(f"{len(failed)} of {len(outcomes)} files failed.", returncode=1)

    def handle_chunk(self, parsed_files, source_url, dry_run):
        """Import the files of a chunk that parsed: each file atomically, the
        chunk in one commit."""
        outcomes, items = {}, []
        for path, parsed, source in parsed_files:
            outcome = {"file": str(path)}
            if isinstance(parsed, Exception):  # why it could not be read (parse_files)
                outcomes[path] = {**outcome, "error": one_line(parsed)}
                continue
            try:
                url = source_url or source.get("source_url", "")
                issuer = self.issuer or issuer_for(url, source.get("issuer", ""))
            except (ValueError, Issuer.DoesNotExist) as error:
                outcomes[path] = {**outcome, "error": one_line(error)}
                continue
            outcomes[path] = {**outcome, **parsed.to_dict()}
            items.append((path, parsed, issuer, url))
        if not dry_run and items:
            with transaction.atomic():
                results = self.importer.import_batch(items)
            for path, result in results.items():
                outcomes[path] = self.outcome(outcomes[path], result)
        return [outcomes[path] for path, _, _ in parsed_files]

    def outcome(self, parsed, result):
        if isinstance(result, DatabaseError):
            return {
                "file": parsed["file"],
                "error": f"the database refused it ({one_line(result)})",
            }
        if isinstance(result, Exception):
            return {"file": parsed["file"], "error": one_line(result)}
        readout = result.readout
        return {
            **parsed,
            "warnings": result.warnings,
            "id": readout.pk,
            "created": result.created,
            "status": readout.status,
        }

    def get_user(self, username):
        try:
            return importing_user(username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user is called “{username}”.") from None

    def get_issuer(self, slug):
        if not slug:
            return None
        try:
            return Issuer.objects.get(slug=slug)
        except Issuer.DoesNotExist:
            known = ", ".join(Issuer.objects.values_list("slug", flat=True))
            raise CommandError(f"No issuer “{slug}”; known issuers: {known}.") from None


def parse_files(paths):
    """(path, the parsed readout or why it could not be read, its sources.json entry) of each."""
    parsed_files = []
    for path in paths:
        try:
            parsed = parse_readout_bytes(
                path.read_bytes(), filename=path.name, max_bytes=settings.READOUT_MAX_BYTES
            )
            source = source_for(path)
        except (ReadoutParseError, ValueError, OSError) as error:
            source, parsed = {}, error
        parsed_files.append((path, parsed, source))
    return parsed_files


def readout_files(paths):
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.suffix.lower() in READOUT_SUFFIXES)
        else:
            yield path


def source_for(path):
    """What the sources.json beside a file says of it, if there is one."""
    sources = path.parent / SOURCES_FILE
    if not sources.is_file():
        return {}
    return sources_in(sources, sources.stat().st_mtime_ns).get(path.name, {})


@lru_cache(maxsize=8)
def sources_in(sources, modified):
    """A sources.json, read once per directory (and again if it changes) rather than per file."""
    try:
        entries = json.loads(sources.read_text(encoding="utf-8"))
        if not isinstance(entries, dict):
            raise ValueError("it is not an object")
        return entries
    except ValueError as error:
        raise ValueError(f"{sources} is not a JSON object of file names: {error}") from None


def one_line(error):
    message = error.messages if isinstance(error, ValidationError) else [str(error)]
    return " ".join(" ".join(message).split())


def dump_json(outcomes):
    return json.dumps(outcomes, ensure_ascii=False, indent=2)


def summary(outcomes, dry_run, seconds):
    failed = sum("error" in o for o in outcomes)
    done = [o for o in outcomes if "error" not in o]
    warnings = sum(len(o.get("warnings", [])) for o in done)
    took = f"in {seconds:.2f} s"
    if dry_run:
        return (
            f"Parsed {len(done)} of {len(outcomes)} files; {warnings} warnings; {failed} failed; "
            f"{took}."
        )
    created = sum(o["created"] for o in done)
    published = sum(o["status"] == "published" for o in done)
    return (
        f"Imported {len(done)} of {len(outcomes)} files: {created} new, {len(done) - created} "
        f"updated, {published} published; {warnings} warnings; {failed} failed; {took}."
    )


class Progress:
    """A one-line progress bar on stderr, for imports of many files at a terminal."""

    WIDTH = 30

    def __init__(self, total, enabled):
        self.total, self.done, self.enabled = total, 0, enabled

    def advance(self, count=1):
        self.done += count
        if self.enabled:
            filled = self.WIDTH * self.done // self.total
            bar = "#" * filled + "." * (self.WIDTH - filled)
            sys.stderr.write(f"\r[{bar}] {self.done}/{self.total}")
            sys.stderr.flush()

    def finish(self):
        if self.enabled:
            sys.stderr.write("\n")
