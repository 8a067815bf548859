"""The admin's "Import from text" page: paste, check, correct, land in the draft."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from readouts.models import Readout

pytestmark = pytest.mark.django_db

IMPORT_URL = "/admin/readouts/readout/import/"


def test_changelist_links_to_the_import_page(editor_client):
    assert IMPORT_URL in editor_client.get("/admin/readouts/readout/").content.decode()


def test_pasted_text_is_shown_parsed_beside_the_source(editor_client, seed_text):
    response = editor_client.post(IMPORT_URL, {"text": seed_text, "issuer": 1, "parse": "1"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "attemtps" in page  # the source, verbatim
    assert 'value="Asia/Phnom_Penh"' in page
    assert 'value="ASEAN-related Summit Meetings"' in page
    assert "Joseph R. Biden, Jr." in page
    assert not Readout.objects.exists()


def test_corrections_land_in_the_new_draft(editor_client, editor, seed_text):
    preview = editor_client.post(IMPORT_URL, {"text": seed_text, "issuer": 1, "parse": "1"})
    form = preview.context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data["issuer"] = data["issuer"].pk
    data.update(city="Phnom Penh (corrected)", duration_minutes="45", confirm="1")

    response = editor_client.post(IMPORT_URL, data)

    readout = Readout.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/admin/readouts/readout/{readout.pk}/change/"
    assert readout.status == Readout.Status.DRAFT
    assert readout.created_by == editor
    assert readout.meeting.city == "Phnom Penh (corrected)"
    assert readout.meeting.duration_minutes == 45
    assert readout.points.filter(parent=None).count() == 5


def test_uploaded_binary_file_gets_a_clear_error(editor_client):
    upload = SimpleUploadedFile("photo.txt", bytes(range(256)) * 8)
    response = editor_client.post(IMPORT_URL, {"file": upload, "issuer": 1, "parse": "1"})

    assert response.status_code == 200
    assert "errornote" in response.content.decode()
    assert not Readout.objects.exists()


def test_forged_confirmation_with_unreadable_text_saves_nothing(editor_client):
    response = editor_client.post(
        IMPORT_URL, {"source_text": "\x00\x01", "issuer": 1, "title": "x", "confirm": "1"}
    )
    assert response.status_code == 302
    assert response["Location"] == IMPORT_URL
    assert not Readout.objects.exists()


def test_users_without_add_permission_cannot_import(client, django_user_model):
    user = django_user_model.objects.create_user("viewer", password="x", is_staff=True)
    client.force_login(user)
    assert client.get(IMPORT_URL).status_code == 403
