"""Settings from the environment, and the README's configuration table checked against OPTIONS."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from proxy.config import OPTIONS, ConfigError, Option, Settings

README = Path(__file__).resolve().parent.parent / "README.md"
MAKEFILE = README.with_name("Makefile")
# A row of the configuration table: | `NAME` | default | help |
ROW = re.compile(r"^\|\s*`(?P<env>[A-Z0-9_]+)`\s*\|\s*(?P<default>.*?)\s*\|\s*(?P<help>.*?)\s*\|$")
EMPTY_DEFAULT = "*(empty)*"


def readme_rows() -> dict[str, tuple[str, str]]:
    """The rows of the README's "## Configuration" table: env -> (default cell, help cell)."""
    section = (
        README.read_text(encoding="utf-8").split("\n## Configuration\n", 1)[1].split("\n## ", 1)[0]
    )
    rows = (ROW.match(line.strip()) for line in section.splitlines())
    return {row["env"]: (row["default"], row["help"]) for row in rows if row}


def default_cell(option: Option) -> str | None:
    """How the README shows a default; None for computed defaults, which it describes in words."""
    if callable(option.default):
        return None
    return f"`{option.default}`" if option.default else EMPTY_DEFAULT


def expected_row(option: Option) -> str:
    return f"| `{option.env}` | {default_cell(option) or '(describe it)'} | {option.help} |"


def test_the_readme_lists_exactly_the_options():
    documented = readme_rows()
    missing = [expected_row(option) for option in OPTIONS if option.env not in documented]
    assert not missing, "add these rows to README.md's Configuration table:\n" + "\n".join(missing)
    assert documented.keys() == {option.env for option in OPTIONS}, (
        "README.md documents options that do not exist"
    )


@pytest.mark.parametrize("option", OPTIONS, ids=lambda option: option.env)
def test_the_readme_row_matches_the_option(option):
    default, help_text = readme_rows()[option.env]
    assert help_text == option.help, f"README.md row should read:\n{expected_row(option)}"
    assert default == (default_cell(option) or default) and default, (
        f"README.md row should read:\n{expected_row(option)}"
    )


def test_the_readme_commands_are_make_targets():
    targets = set(re.findall(r"^([a-z]+):", MAKEFILE.read_text(), re.MULTILINE))
    commands = set(re.findall(r"^make (\w+)", README.read_text(encoding="utf-8"), re.MULTILINE))
    assert commands == {"run", "test"} and commands <= targets


def test_defaults_give_working_settings():
    settings = Settings.from_env({})
    assert (
        settings.redis_url is None and settings.cache_ttl == 86400 and settings.allow_networks == ()
    )


@pytest.mark.parametrize(
    ("env", "value"),
    [
        ("DECLUTTER_CACHE_TTL", "a day"),
        ("DECLUTTER_CACHE_TTL", "0"),
        ("DECLUTTER_FETCH_TIMEOUT", "-1"),
        ("DECLUTTER_ALLOW_NETWORKS", "10.0.0.0/33"),
        ("DECLUTTER_USER_AGENT", "  "),
    ],
)
def test_a_bad_value_names_its_variable(env, value):
    with pytest.raises(ConfigError, match=env):
        Settings.from_env({env: value})


def test_allowed_networks_are_parsed():
    settings = Settings.from_env({"DECLUTTER_ALLOW_NETWORKS": "127.0.0.1/32, 10.1.0.0/16"})
    assert [str(network) for network in settings.allow_networks] == ["127.0.0.1/32", "10.1.0.0/16"]
