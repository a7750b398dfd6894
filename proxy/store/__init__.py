"""Everything Declutter keeps in Redis, and the Redis it keeps it in: the one owner of Redis.

- ``client``: the app's one client (``RedisStore``) and its outage handling; every Redis command of
  Declutter goes through ``RedisStore.call``. ``redis_conn`` makes it from REDIS_URL (standalone,
  TLS, unix socket, Sentinel or Cluster), ``embedded_redis`` starts a Redis when REDIS_URL is unset.
- ``keys``: every key name, with the rules-version prefix and the Cluster hash tags.
- Typed operations: ``cache`` (articles, remembered failures per ``failures``, single flight,
  private results, named values), ``counters`` (rate-limit storage), ``slots`` (the semaphores of
  politeness), ``locks``, ``images``, ``cache_admin`` (the operator's ``declutter cache``); ``hot``
  is the few seconds of in-process memory in front of the articles.

May import ``article``, ``errors``, ``config`` and ``ops`` (metrics), and three values owned
elsewhere, read by ``keys`` alone: ``content.rules.RULES_VERSION``, ``siterules.version`` (a
host's rule digest) and ``net.urls`` (the one spelling of a URL). Never ``net``'s fetching,
``service``, ``feeds`` or ``web``. ``cache_admin`` is a command; the CLI hands it the configured
app's store.
"""
