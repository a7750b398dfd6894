"""The parts of ``proxy.content.metadata`` (its one entry point): JSON-LD, bylines, dates, title, lang."""
