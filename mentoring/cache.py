"""A Redis cache that degrades to the database cache instead of failing the request.

allauth keeps its sign-in rate limits (and a lock around them) in the cache. With Django's plain
Redis cache, Redis down means every sign-in answers 500. Here a Redis that refuses or does not
answer within the socket timeout (OPTIONS) sends that operation, and every one in the next few
seconds, to the database cache (the "fallback" alias, the same table the embedded default uses):
rate limits keep counting, in the database, instead of failing open or failing the page. The first
operation after the pause tries Redis again. Counters kept in Redis before an outage are not seen
during it: a person may get a few more attempts then, never fewer.
"""

import logging
import time

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

log = logging.getLogger(__name__)

DOWN_FOR_SECONDS = 5.0
UNREACHABLE = (RedisConnectionError, RedisTimeoutError)
# Per Redis location, in this process: until when to use the fallback without asking Redis.
_down_until: dict[str, float] = {}


class _ReusedClients(RedisCacheClient):
    """Django's client builds a new `redis.Redis` around the pool for every operation: 0.18 ms of
    the 0.25 ms a session read cost, on every page (issue 21). A `redis.Redis` is only a handle on
    its pool, safe to share between threads, so one per server is kept and reused."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            if index not in self._pools:
                self._pools[index] = self._pool_class.from_url(
                    self._servers[index], **self._pool_options
                )
            client = self._clients[index] = self._client(connection_pool=self._pools[index])
        return client


class FailoverRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _ReusedClients
        self._location = server if isinstance(server, str) else ",".join(server)
        self._fallback_alias = params.get("FALLBACK", "fallback")

    @property
    def fallback(self):
        return caches[self._fallback_alias]

    def _either(self, name: str, *args, **kwargs):
        if time.monotonic() < _down_until.get(self._location, 0):
            return getattr(self.fallback, name)(*args, **kwargs)
        try:
            return getattr(super(), name)(*args, **kwargs)
        except UNREACHABLE as error:
            log.warning("cache: Redis unreachable (%s), using the database cache for now", error)
            _down_until[self._location] = time.monotonic() + DOWN_FOR_SECONDS
            return getattr(self.fallback, name)(*args, **kwargs)

    def add(self, *args, **kwargs):
        return self._either("add", *args, **kwargs)

    def get(self, *args, **kwargs):
        return self._either("get", *args, **kwargs)

    def set(self, *args, **kwargs):
        return self._either("set", *args, **kwargs)

    def touch(self, *args, **kwargs):
        return self._either("touch", *args, **kwargs)

    def delete(self, *args, **kwargs):
        return self._either("delete", *args, **kwargs)

    def get_many(self, *args, **kwargs):
        return self._either("get_many", *args, **kwargs)

    def has_key(self, *args, **kwargs):
        return self._either("has_key", *args, **kwargs)

    def incr(self, *args, **kwargs):
        return self._either("incr", *args, **kwargs)

    def set_many(self, *args, **kwargs):
        return self._either("set_many", *args, **kwargs)

    def delete_many(self, *args, **kwargs):
        return self._either("delete_many", *args, **kwargs)

    def clear(self):
        return self._either("clear")
