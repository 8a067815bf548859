"""The editorial roles, as groups with their permissions.

Editors enter, import and annotate readouts and submit them for review.
Reviewers do all that and also publish, return and withdraw readouts.
"""

from django.contrib.auth.models import Group, Permission

EDITORS = "Editors"
REVIEWERS = "Reviewers"

EDITED_MODELS = [
    "readout",
    "point",
    "annotation",
    "meeting",
    "participation",
    "person",
    "tenure",
    "occasion",
    "topic",
]
READ_ONLY_MODELS = ["country", "issuer", "administration", "workflowstep"]


def editor_permission_codenames():
    codenames = [
        f"{action}_{model}" for model in EDITED_MODELS for action in ("add", "change", "view")
    ]
    codenames += [f"delete_{model}" for model in ("point", "annotation", "participation", "tenure")]
    codenames += [f"view_{model}" for model in READ_ONLY_MODELS]
    codenames += ["submit_readout"]
    return codenames


def reviewer_permission_codenames():
    return editor_permission_codenames() + ["publish_readout", "delete_readout", "delete_meeting"]


def ensure_editorial_groups(**kwargs):
    for name, codenames in (
        (EDITORS, editor_permission_codenames()),
        (REVIEWERS, reviewer_permission_codenames()),
    ):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(
            Permission.objects.filter(content_type__app_label="readouts", codename__in=codenames)
        )
