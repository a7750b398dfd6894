"""The web layer: Flask views, request hooks and the answers they give.

A view parses the request, calls ``proxy.service`` (or ``proxy.feeds``) and hands the Article to
``proxy.formats``; no view reads the cache or fetches itself. A failure is raised, by views and
hooks alike, and answered by ``failures`` alone. ``shortcuts`` lists where the hit path steps around
Flask and werkzeug. It may import every package below it: ``service``, ``feeds``, ``formats``,
``content`` (values only), ``net.urls``, ``store`` (admin views), ``ops``, ``config``, ``errors``,
``article``. Nothing below imports it.
"""
