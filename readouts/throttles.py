"""How often anonymous programs may ask: exports, the dearest answers, least often."""

from rest_framework.throttling import AnonRateThrottle


class AnonymousExportThrottle(AnonRateThrottle):
    """A whole export is the most work an answer makes: on the 50,000-meeting
    benchmark archive, its CSV takes seconds where a page takes milliseconds.
    Anonymous clients get a few an hour (`API_ANON_EXPORT_RATE`) besides the
    general rate; editors are not throttled, and harvesting pages by cursor
    serves whoever needs everything."""

    scope = "anon_export"
