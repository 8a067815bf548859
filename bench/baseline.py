"""The hand-written baseline the API list is measured against, for the same rows.

What the fastest honest code would do for the API list's first page: one
values() query for the 20 readouts with their issuer, meeting and occasion,
dicts built by hand with formatted URLs, and orjson. `view` serves it behind
the same server and middleware as the API (bench/urls.py), so that the two
are compared as answers to a request, and `page` alone times the work itself.
"""

import orjson
from django.http import HttpResponse

from readouts.models import Meeting, Readout

KINDS = dict(Meeting.Kind.choices)


def page(base):
    rows = (
        Readout.objects.listed()
        .order_by("-meeting__date", "-pk")
        .values(
            "slug",
            "title",
            "language",
            "translation_status",
            "status",
            "published_on",
            "withdrawal_note",
            "issuer__slug",
            "issuer__name",
            "issuer__short_name",
            "issuer__country_id",
            "meeting_id",
            "meeting__date",
            "meeting__kind",
            "meeting__city",
            "meeting__country_id",
            "meeting__occasion__slug",
            "meeting__occasion__name",
        )[:20]
    )
    results = [
        {
            "slug": row["slug"],
            "url": f"{base}/api/v1/readouts/{row['slug']}/",
            "html_url": f"{base}/readouts/{row['slug']}/",
            "title": row["title"],
            "language": row["language"],
            "translation_status": row["translation_status"],
            "status": row["status"],
            "published_on": row["published_on"].isoformat(),
            "issuer": {
                "slug": row["issuer__slug"],
                "name": row["issuer__name"],
                "short_name": row["issuer__short_name"],
                "country": row["issuer__country_id"],
            },
            "meeting": {
                "id": row["meeting_id"],
                "url": f"{base}/api/v1/meetings/{row['meeting_id']}/",
                "date": row["meeting__date"].isoformat(),
                "kind": row["meeting__kind"],
                "kind_display": str(KINDS[row["meeting__kind"]]),
                "city": row["meeting__city"],
                "country": row["meeting__country_id"],
                "occasion": {
                    "slug": row["meeting__occasion__slug"],
                    "url": f"{base}/api/v1/occasions/{row['meeting__occasion__slug']}/",
                    "name": row["meeting__occasion__name"],
                }
                if row["meeting__occasion__slug"]
                else None,
            },
            "withdrawal_note": row["withdrawal_note"],
        }
        for row in rows
    ]
    return orjson.dumps({"results": results})


def view(request):
    base = request.build_absolute_uri("/").rstrip("/")
    return HttpResponse(page(base), content_type="application/json")
