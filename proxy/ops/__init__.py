"""Running Declutter: logs, metrics and the gunicorn hooks and worker.

``logs`` and ``metrics`` are imported from every layer and import only ``config`` and ``errors``;
``gunicorn_hooks`` and ``gunicorn_worker`` are entry points that gunicorn loads.
"""
