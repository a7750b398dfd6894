"""A host's rules combined with global.txt's, as FiveFilters Full-Text RSS and graby combine them.

When the host's file leaves ``autodetect_on_failure`` on (the default), global.txt is appended to
it: the lists of XPath and strings (``MERGED_XPATHS``, ``MERGED_STRINGS``, the page links) get
global.txt's entries after the host's, duplicates dropped; find/replace pairs are appended (the
host's act first); a switch the host's file does not set takes global.txt's; a request header the
host's file sets wins. Directives graby does not merge (``dissolve``, ``native_ad_clue``,
``src_lazy_load_attr``, ``skip_json_ld``, the tests) stay the host's alone. A host's file with
``autodetect_on_failure: no`` is used alone: its author said the page needs nothing else.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace

from proxy.siterules.parse import SiteRules

# XPath lists appended from global.txt (graby's ConfigBuilder::mergeConfig list).
MERGED_XPATHS = ("title", "body", "strip", "date", "author", "strip_attr")
MERGED_STRINGS = ("strip_id_or_class", "strip_image_src")
MERGED_LINKS = ("single_page_link", "next_page_link")
SWITCHES_MERGED = ("tidy", "prune", "autodetect_on_failure")


def wants_global(host: SiteRules) -> bool:
    return host.switches["autodetect_on_failure"]


def merge(host: SiteRules, base: SiteRules) -> SiteRules:
    """``host`` with ``base`` (global.txt) appended; neither is changed."""
    xpaths = {name: list(values) for name, values in host.xpaths.items()}
    from_global = set()
    for name in MERGED_XPATHS:
        own = {x.path for x in xpaths.get(name, [])}
        for xpath in base.xpath(name):
            if xpath.path not in own:
                xpaths.setdefault(name, []).append(xpath)
                own.add(xpath.path)
                from_global.add((name, xpath.path))
    strings = {name: list(values) for name, values in host.strings.items()}
    for name in MERGED_STRINGS:
        have = strings.setdefault(name, [])
        have += [value for value in base.string(name) if value not in have]
    switches = dict(host.switches)
    for name in SWITCHES_MERGED:
        if name not in host.explicit and name in base.explicit:
            switches[name] = base.switches[name]
    links = {
        name: getattr(host, name)
        + [link for link in getattr(base, name) if link not in getattr(host, name)]
        for name in MERGED_LINKS
    }
    return replace(
        host,
        source=f"{host.source} + {base.source}",
        digest=hashlib.sha256(f"{host.digest}:{base.digest}".encode()).hexdigest()[:16],
        xpaths=xpaths,
        strings=strings,
        switches=switches,
        explicit=host.explicit | (base.explicit & set(SWITCHES_MERGED)),
        replacements=host.replacements + base.replacements,
        http_headers={**base.http_headers, **host.http_headers},
        needles={**base.needles, **host.needles},
        from_global=from_global,
        **links,
    )
