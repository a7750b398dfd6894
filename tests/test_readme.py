"""The README's commands run as written from a checkout after its set-up (``make run``, or
``make test`` for the extras): each names a make target that exists, a program the set-up puts in
.venv/bin, or a standard tool; declutter's subcommands and python's modules are really there."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
READMES = (ROOT / "README.md", ROOT / "extension" / "README.md")
SHELL_BLOCK = re.compile(r"```sh\n(.*?)```", re.DOTALL)
MAKE_TARGET = re.compile(r"^([A-Za-z][\w.-]*):", re.MULTILINE)
VENV = ".venv/bin/"
# Programs from the system: a shell's and curl, and Node, which make test installs.
SYSTEM_TOOLS = ("curl", "echo", "node")
# Where a declutter command's words stop being subcommands: placeholders, options, choices.
NOT_A_SUBCOMMAND = re.compile(r"^([A-Z]|-|\[|https?:)")


def readme_commands() -> list[str]:
    """Every command line of the READMEs' sh blocks, continuations joined, comments dropped."""
    found = []
    for readme in READMES:
        for block in SHELL_BLOCK.findall(readme.read_text()):
            for line in block.replace("\\\n", " ").splitlines():
                command = re.split(r"\s#", line, maxsplit=1)[0].strip()
                if command and not command.startswith("#"):
                    found.append(command)
    return found


COMMANDS = readme_commands()


def venv_bin() -> Path:
    """The venv this suite runs in (make test runs it as .venv/bin/python)."""
    return Path(sys.executable).parent


@pytest.mark.parametrize("command", COMMANDS)
def test_each_readme_command_names_what_the_set_up_provides(command):
    program, *args = command.split()
    if program == "make":
        assert args[0] in MAKE_TARGET.findall((ROOT / "Makefile").read_text()), command
    elif program.startswith(VENV):
        assert (venv_bin() / program.removeprefix(VENV)).exists(), command
    else:
        assert program in SYSTEM_TOOLS, f"{command!r}: write {VENV}{program} (see The command line)"


@pytest.mark.parametrize("command", [c for c in COMMANDS if c.startswith(f"{VENV}declutter ")])
def test_each_declutter_command_is_a_real_subcommand(command):
    words = command.split()[1:]
    subcommand = []
    for word in words:
        if NOT_A_SUBCOMMAND.match(word):
            break
        subcommand.append(word)
    done = subprocess.run(
        [str(venv_bin() / "declutter"), *subcommand, "--help"], capture_output=True, text=True
    )
    assert done.returncode == 0 and "usage:" in done.stdout, command


@pytest.mark.parametrize("command", [c for c in COMMANDS if c.startswith(f"{VENV}python -m ")])
def test_each_python_module_the_readme_runs_exists(command):
    module = command.split()[2]
    assert importlib.util.find_spec(module) is not None, command


def test_the_readme_has_commands():
    assert len(COMMANDS) > 20 and any(c.startswith(f"{VENV}declutter read") for c in COMMANDS)
