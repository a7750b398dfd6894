"""Build the extension for the stores: one folder and one zip per browser (`make extension`).

The source tree carries one manifest for both browsers, which each browser reads with a warning
about the other's keys. Each build keeps only its browser's keys, and packs only the files the
extension runs (no tests, no tooling). Standard library only: it runs without the virtualenv.

Usage::

    python3 extension/build.py dist   # dist/{chrome,firefox}/, dist/declutter-<browser>-<ver>.zip
"""

from __future__ import annotations

import argparse
import json
import shutil
import zipfile
from pathlib import Path
from typing import Any

SOURCE = Path(__file__).resolve().parent
# What the extension runs: scripts, pages, styles and icons; then what of those stays home.
PACKAGED = ("*.js", "*.html", "*.css", "icons/*.png")
NOT_PACKAGED = ("*.test.js",)
# Manifest keys only one browser reads: Chrome runs a service worker and has no gecko settings;
# Firefox runs background scripts (an event page), takes host patterns in optional_permissions, and
# reads preferred_environment (which tells its linter the service worker's fallback is deliberate).
CHROME_ONLY = {"background": ("service_worker",)}
FIREFOX_ONLY = {
    "background": ("scripts", "preferred_environment"),
    "browser_specific_settings": (),
    "optional_permissions": (),
}
DROPPED = {"chrome": FIREFOX_ONLY, "firefox": CHROME_ONLY}


def browser_manifest(manifest: dict[str, Any], browser: str) -> dict[str, Any]:
    """The manifest without the keys only the other browser reads (a key with () goes whole)."""
    result = json.loads(json.dumps(manifest))
    for key, subkeys in DROPPED[browser].items():
        if not subkeys:
            result.pop(key, None)
        for subkey in subkeys:
            result.get(key, {}).pop(subkey, None)
    return result


def packaged_files(source: Path = SOURCE) -> list[Path]:
    """The files the extension runs, relative to ``source``, sorted (manifest.json excepted)."""
    found = {path for pattern in PACKAGED for path in source.glob(pattern)}
    skipped = {path for pattern in NOT_PACKAGED for path in source.glob(pattern)}
    return sorted(path.relative_to(source) for path in found - skipped)


def build(browser: str, out: Path, source: Path = SOURCE) -> Path:
    """Write ``out/<browser>/`` and its zip; returns the zip's path."""
    manifest = json.loads((source / "manifest.json").read_text())
    folder = out / browser
    shutil.rmtree(folder, ignore_errors=True)
    for relative in packaged_files(source):
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source / relative, folder / relative)
    own_manifest = browser_manifest(manifest, browser)
    (folder / "manifest.json").write_text(json.dumps(own_manifest, indent=2) + "\n")
    archive = out / f"declutter-{browser}-{manifest['version']}.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                zipped.write(path, path.relative_to(folder).as_posix())
    return archive


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder for the builds (created if missing)")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for browser in DROPPED:
        print(build(browser, args.out))


if __name__ == "__main__":
    main()
