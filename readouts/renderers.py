"""JSON for the API, written by orjson.

The same JSON DRF's renderer writes (compact, UTF-8, keys in order), in a
fraction of the time: rendering was a good part of what an API list costs.
Types orjson does not know (lazy translations, Decimals) and dates and
times (which DRF writes its own way: "Z", milliseconds) go through DRF's own
encoder; a client asking for indentation gets DRF's renderer.
"""

import orjson
from rest_framework.renderers import JSONRenderer
from rest_framework.utils.encoders import JSONEncoder

_encoder = JSONEncoder()


class Rendered(bytes):
    """JSON already written (a cached answer): the renderer passes it through."""


class FastJSONRenderer(JSONRenderer):
    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        if isinstance(data, Rendered):
            return bytes(data)
        if self.get_indent(accepted_media_type or "", renderer_context or {}):
            return super().render(data, accepted_media_type, renderer_context)
        return orjson.dumps(data, default=_encoder.default, option=orjson.OPT_PASSTHROUGH_DATETIME)
