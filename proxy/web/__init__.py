"""The web layer: Flask views, request hooks and the answers they give.

A view parses the request, calls ``proxy.service`` (or ``proxy.feeds``) and hands the Article to
``proxy.formats``. It may import every package below it: ``service``, ``feeds``, ``formats``,
``content`` (values only), ``net.urls``, ``store`` (admin views), ``ops``, ``config``, ``errors``,
``article``. Nothing below imports it.
"""
