"""The parts of ``proxy.content.metadata`` (the one entry point): JSON-LD, byline, dates, title,
language, excerpt."""
