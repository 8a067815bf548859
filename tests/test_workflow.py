import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError

from readouts.models import Readout, WorkflowStep
from tests.builders import make_readout

pytestmark = pytest.mark.django_db


def test_editorial_groups_exist_after_migrate():
    editors = Group.objects.get(name="Editors")
    reviewers = Group.objects.get(name="Reviewers")

    editor_perms = set(editors.permissions.values_list("codename", flat=True))
    reviewer_perms = set(reviewers.permissions.values_list("codename", flat=True))
    assert {"add_readout", "change_readout", "add_annotation", "submit_readout"} <= editor_perms
    assert "publish_readout" not in editor_perms
    assert "publish_readout" in reviewer_perms


def test_editor_drafts_and_submits_but_cannot_publish(editor):
    readout = make_readout(status=Readout.Status.DRAFT, created_by=editor)
    readout.submit_for_review(editor)
    assert readout.status == Readout.Status.IN_REVIEW

    with pytest.raises(PermissionDenied):
        readout.publish(editor)
    with pytest.raises(PermissionDenied):
        readout.publish(editor, reason="In a hurry.")
    readout.refresh_from_db()
    assert readout.status == Readout.Status.IN_REVIEW


def test_reviewer_publishes_someone_elses_readout(editor, reviewer):
    readout = make_readout(status=Readout.Status.DRAFT, created_by=editor)
    readout.submit_for_review(editor)
    readout.publish(reviewer)

    readout.refresh_from_db()
    assert readout.status == Readout.Status.PUBLISHED
    assert readout.published_by == reviewer
    steps = list(readout.workflow_steps.values_list("action", "actor__username"))
    assert steps == [("submit", "edna"), ("publish", "rita")]


def test_publishing_ones_own_readout_unreviewed_needs_a_reason(reviewer):
    readout = make_readout(status=Readout.Status.DRAFT, created_by=reviewer)
    with pytest.raises(ValidationError, match="needs a recorded reason"):
        readout.publish(reviewer)
    assert Readout.objects.get(pk=readout.pk).status == Readout.Status.DRAFT

    readout.publish(reviewer, reason="Correcting a published date before a press briefing.")
    step = readout.workflow_steps.get(action=WorkflowStep.Action.PUBLISH)
    assert step.note == "Correcting a published date before a press briefing."


def test_withdrawal_needs_a_public_explanation_unless_silent(reviewer, editor):
    readout = make_readout(created_by=editor)
    with pytest.raises(ValidationError):
        readout.withdraw(reviewer)
    readout.withdraw(reviewer, "The issuer replaced this readout.")
    assert readout.status == Readout.Status.WITHDRAWN
    assert readout.withdrawal_note == "The issuer replaced this readout."


def test_anonymous_users_see_no_draft(client, editor):
    draft = make_readout(status=Readout.Status.DRAFT, title="Secret draft", created_by=editor)
    published = make_readout(title="Published readout", meeting=draft.meeting)

    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(published.get_absolute_url()).status_code == 200
    listing = client.get("/readouts/").content.decode()
    assert "Published readout" in listing
    assert "Secret draft" not in listing
    assert list(Readout.objects.public()) == [published]


def test_editors_preview_drafts_with_a_banner(editor_client, editor):
    draft = make_readout(status=Readout.Status.DRAFT, created_by=editor)
    response = editor_client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert "not visible to the public" in response.content.decode()


def test_silently_withdrawn_readout_is_404_to_the_public(client, reviewer):
    readout = make_readout()
    readout.withdraw(reviewer, silently=True)
    assert client.get(readout.get_absolute_url()).status_code == 404
