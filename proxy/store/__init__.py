"""Everything Declutter keeps in Redis, and the Redis it keeps it in.

The connection (``redis_conn``, ``embedded_redis`` when REDIS_URL is unset), the article cache, the
shared counters, and the few seconds of in-process memory in front of them (``hot``). May import
``article``, ``errors``, ``config`` and ``ops`` (metrics); never ``net``, ``service`` or ``web``.
"""
