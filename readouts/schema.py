"""The API's OpenAPI schema: drf-spectacular's, completed with the errors every operation can give.

Kept apart from api.py because the schema class is a setting that
drf-spectacular's views read when they are imported.
"""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse

ERROR_SCHEMA = {
    "type": "object",
    "description": "`detail`, or a list of messages for each parameter or field concerned.",
    "additionalProperties": True,
}
FILTERED_ACTIONS = {"list", "harvest", "export_csv", "export_jsonl"}


class ArchiveAutoSchema(AutoSchema):
    def get_filter_backends(self):
        if getattr(self.view, "action", None) in FILTERED_ACTIONS:
            return getattr(self.view, "filter_backends", [])
        return super().get_filter_backends()

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        codes = {"400": "Invalid parameters or data.", "404": "Not found.", "429": "Throttled."}
        if self.method == "GET":
            codes["304"] = None
        else:
            codes.update({"401": "Not signed in.", "403": "Not allowed.", "409": "Conflict."})
        for code, description in codes.items():
            if code in responses:
                continue
            if description is None:
                responses[code] = {"description": "Not modified since the ETag or date sent."}
            else:
                responses[code] = self._get_response_for_code(
                    OpenApiResponse(ERROR_SCHEMA, description=description), code
                )
        return responses
