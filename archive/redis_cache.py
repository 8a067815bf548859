"""Django's Redis cache, with one Redis client per connection pool.

Django's backend makes a new `redis.Redis` for every cache call, and making
one (it builds its table of response callbacks) cost more than the round trip
itself for the small reads every request makes: the archive's generation and
a cached page, the API's throttle. A client is safe to share between threads;
its pool hands out the connections.
"""

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class ClientPerPool(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ArchiveRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ClientPerPool

    def count(self, key, timeout):
        """Add one to the counter `key`, made to last `timeout` seconds if new,
        and return it: one round trip, where Django's add() and incr() take three."""
        key = self.make_and_validate_key(key)
        with self._cache.get_client(key, write=True).pipeline() as pipeline:
            pipeline.set(key, 0, ex=timeout, nx=True)
            pipeline.incr(key)
            _, counted = pipeline.execute()
        return counted
