import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from readouts.importing import parsed_from_readout
from readouts.models import Readout
from readouts.parsing import format_readout


class Command(BaseCommand):
    help = (
        "Write readouts out: as one JSON document, or as plain-text files (one per readout) "
        "that import_readouts reads back to the same structure."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["json", "text"], default="json")
        parser.add_argument(
            "--output", type=Path, help="A directory for text files; a file for JSON (else stdout)."
        )
        parser.add_argument(
            "--status",
            choices=[*Readout.Status.values, "all"],
            default=Readout.Status.PUBLISHED,
            help="Which readouts: published ones unless told otherwise.",
        )

    def handle(self, *args, format, output, status, **options):
        readouts = Readout.objects.select_related("meeting__occasion", "issuer").prefetch_related(
            "points", "meeting__participations__person"
        )
        if status != "all":
            readouts = readouts.filter(status=status)
        if format == "text":
            if output is None:
                raise CommandError("Give --output DIRECTORY for text files.")
            output.mkdir(parents=True, exist_ok=True)
            sources = {}
            for readout in readouts:
                name = f"{readout.slug}.txt"
                (output / name).write_text(format_readout(parsed_from_readout(readout)), "utf-8")
                sources[name] = {"source_url": readout.source_url, "issuer": readout.issuer.slug}
            (output / "sources.json").write_text(json.dumps(sources, indent=2), "utf-8")
            self.stderr.write(f"Wrote {len(sources)} readouts to {output}.")
            return
        documents = [
            {
                **parsed_from_readout(readout).to_dict(),
                "source_url": readout.source_url,
                "issuer": readout.issuer.slug,
                "status": readout.status,
            }
            for readout in readouts
        ]
        text = json.dumps(documents, ensure_ascii=False, indent=2)
        if output:
            output.write_text(text, "utf-8")
            self.stderr.write(f"Wrote {len(documents)} readouts to {output}.")
        else:
            self.stdout.write(text)
