import json
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from readouts.importing import importing_user
from readouts.models import Annotation, Point, Readout, Topic

DEMO_DIR = Path(settings.BASE_DIR) / "data"
SEED_SOURCE = "https://japan.kantei.go.jp/101_kishida/diplomatic/202211/13usa.html"


class Command(BaseCommand):
    help = "Load (or refresh) the demo content: the real readouts in data/readouts, published."

    def handle(self, *args, **options):
        call_command("import_readouts", DEMO_DIR / "readouts", publish=True, stdout=self.stdout)
        with transaction.atomic():
            tagged = tag_points(json.loads((DEMO_DIR / "topics.json").read_text()))
            annotate_seed()
        self.stdout.write(f"Demo content ready: {tagged} points tagged with topics.")


def tag_points(rules, parent=None):
    """Attach topics to the points that mention their keywords."""
    tagged = 0
    for rule in rules:
        topic, _ = Topic.objects.get_or_create(name=rule["name"], parent=parent)
        for point in Point.objects.filter(readout__status=Readout.Status.PUBLISHED):
            if any(keyword in point.text for keyword in rule["keywords"]):
                point.topics.add(topic)
                tagged += 1
        tagged += tag_points(rule.get("children", []), topic)
    return tagged


def annotate_seed():
    seed = Readout.objects.filter(source_url=SEED_SOURCE).first()
    if seed is None:
        return
    point = seed.points.filter(text__contains="attemtps").first()
    if point is None:
        return
    Annotation.objects.get_or_create(
        readout=seed,
        point=point,
        exact="attemtps",
        defaults={
            "prefix": "unilateral ",
            "suffix": " to change",
            "kind": Annotation.Kind.CORRECTION,
            "body": "Sic: the published translation reads “attemtps” for *attempts*.",
            "author": importing_user(),
        },
    )
