"""The parts of ``proxy.metadata`` (its one entry point): JSON-LD, bylines, dates, title, lang."""
