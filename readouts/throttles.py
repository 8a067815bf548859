"""How often anonymous programs may ask: exports, the dearest answers, least often.

DRF's own throttle keeps each client's request times over the rate's window
and writes the whole list back on every request: at the default 600 a
minute, a busy client's every request read and wrote 600 timestamps, in two
round trips to the cache. Here each window is a counter, added to in one
round trip on Redis (`archive.redis_cache.ArchiveRedisCache.count`). A
client may then make up to twice the rate across the turn of a window,
never more within one.
"""

from rest_framework.throttling import AnonRateThrottle


def count(cache, key, timeout):
    """One more on the counter `key`, which lasts `timeout` seconds: its new value."""
    if hasattr(cache, "count"):
        return cache.count(key, timeout)
    cache.add(key, 0, timeout)
    try:
        return cache.incr(key)
    except ValueError:  # it ran out between the two calls
        cache.add(key, 1, timeout)
        return 1


class AnonymousThrottle(AnonRateThrottle):
    """The anonymous rate (`API_ANON_RATE`), counted per fixed window; editors are not throttled."""

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.now = self.timer()
        window = int(self.now // self.duration)
        # Kept a little past its window, so that a counter never expires mid-window.
        counted = count(self.cache, f"{self.key}:{window}", self.duration + 1)
        if counted > self.num_requests:
            return self.throttle_failure()
        return True

    def wait(self):
        """Seconds until the next window opens."""
        return self.duration - self.now % self.duration


class AnonymousExportThrottle(AnonymousThrottle):
    """A whole export is the most work an answer makes: on the 50,000-meeting
    benchmark archive, its CSV takes seconds where a page takes milliseconds.
    Anonymous clients get a few an hour (`API_ANON_EXPORT_RATE`) besides the
    general rate; editors are not throttled, and harvesting pages by cursor
    serves whoever needs everything."""

    scope = "anon_export"
