"""The reader page's settings (text size, column width, typeface, theme) as data.

The allowlisted choices, the form the reader template shows, and the stylesheet made from one
reader's choices. Pure: the cookie that carries the choices and the routes that read and write it
are the web side's (web/prefs.py); the reader page (render.py) only needs the form and the
stylesheet's address, which are the same for everyone.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

# The per-reader stylesheet's address, linked from every reader page.
STYLESHEET = "/prefs.css"

# Each setting: the form's label, then each value with its button text and CSS custom properties.
SETTINGS: dict[str, tuple[str, dict[str, tuple[str, str]]]] = {
    "size": (
        "Text size",
        {
            "s": ("Small", "--size: 1rem;"),
            "m": ("Medium", "--size: 1.1875rem;"),  # reader.css's own
            "l": ("Large", "--size: 1.375rem;"),
            "xl": ("Larger", "--size: 1.625rem;"),
        },
    ),
    "width": (
        "Width",
        {
            "narrow": ("Narrow", "--measure: 32rem;"),
            "medium": ("Medium", "--measure: 40rem;"),  # reader.css's own, about 66 characters
            "wide": ("Wide", "--measure: 54rem;"),
        },
    ),
    "face": (
        "Typeface",
        {
            "serif": ("Serif", "--face: var(--serif);"),
            "sans": ("Sans", "--face: var(--sans);"),
        },
    ),
    "theme": (
        "Theme",
        {
            "auto": ("Auto", ""),  # reader.css follows the system's light or dark
            "light": (
                "Light",
                "color-scheme: light; --bg: #fbfaf7; --fg: #1d2024; --muted: #5d636b; "
                "--accent: #0a58a8; --rule: #e3dfd6; --tint: #f1ede4; --quote: #c8c0b0; "
                "--dim: none;",
            ),
            "sepia": (
                "Sepia",
                "color-scheme: light; --bg: #f4ecd8; --fg: #433422; --muted: #6f5d45; "
                "--accent: #8a4b14; --rule: #e0d3b4; --tint: #ebe0c5; --quote: #c9b68e; "
                "--dim: none;",
            ),
            "dark": (
                "Dark",
                "color-scheme: dark; --bg: #15171a; --fg: #e4e1da; --muted: #9ba1a9; "
                "--accent: #8db8f0; --rule: #2b2f35; --tint: #1e2126; --quote: #474c55; "
                "--dim: brightness(0.92);",
            ),
        },
    ),
}
DEFAULTS = {"size": "m", "width": "medium", "face": "serif", "theme": "auto"}
# The current choice's button, marked by the per-reader stylesheet.
MARK = "{ background: var(--accent); color: var(--bg); border-color: var(--accent); }"


def form() -> list[tuple[str, str, list[tuple[str, str]]]]:
    """The settings form as (name, label, [(value, text)]) for the reader template."""
    return [
        (name, label, [(value, text) for value, (text, _) in options.items()])
        for name, (label, options) in SETTINGS.items()
    ]


def choices(cookie: str | None) -> dict[str, str]:
    """The reader's settings: the cookie's allowlisted values over the defaults."""
    chosen = dict(DEFAULTS)
    for name, value in parse_qsl(cookie or "")[: len(SETTINGS)]:
        if value in SETTINGS.get(name, ("", {}))[1]:
            chosen[name] = value
    return chosen


def stylesheet_for(chosen: dict[str, str]) -> str:
    """One reader's CSS: the custom properties reader.css reads, and the current buttons marked."""
    properties = " ".join(SETTINGS[name][1][value][1] for name, value in chosen.items())
    marked = ", ".join(
        f'.settings button[name="{name}"][value="{value}"]' for name, value in chosen.items()
    )
    return f":root {{ {properties} }}\n{marked} {MARK}\n"
