"""The shared catalog of guide knowledge (sections and run-time signatures).

The same JSON files are read by the TypeScript front end; the wheel carries them
as ``keras_migrate/catalog/`` (pyproject force-include) and a source checkout
has them in ``<repo>/src/catalog``. Standard library only: this is imported in
every kernel that loads the hook.
"""

import functools
import json
import os
import re

_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))
_CANDIDATE_DIRS = (
    os.path.join(_PACKAGE_DIR, "catalog"),  # installed wheel
    os.path.join(os.path.dirname(os.path.dirname(_PACKAGE_DIR)), "src", "catalog"),  # source checkout / editable
)

_FLAG_BITS = {"i": re.IGNORECASE, "s": re.DOTALL, "m": re.MULTILINE}


class CatalogNotFound(RuntimeError):
    pass


def catalog_dir():
    """The first directory that holds sections.json; KERAS_MIGRATE_CATALOG overrides."""
    override = os.environ.get("KERAS_MIGRATE_CATALOG")
    candidates = (override,) + _CANDIDATE_DIRS if override else _CANDIDATE_DIRS
    for directory in candidates:
        if os.path.isfile(os.path.join(directory, "sections.json")):
            return directory
    raise CatalogNotFound("keras_migrate catalog not found in " + ", ".join(candidates))


def _read_json(name):
    with open(os.path.join(catalog_dir(), name), encoding="utf-8") as handle:
        return json.load(handle)


@functools.lru_cache(maxsize=None)
def sections():
    """slug -> section dict."""
    return {section["slug"]: section for section in _read_json("sections.json")["sections"]}


@functools.lru_cache(maxsize=None)
def guide_url():
    return _read_json("sections.json").get("guideUrl")


@functools.lru_cache(maxsize=None)
def signatures():
    """The raw signature dicts, in catalog order."""
    return tuple(_read_json("signatures.json")["signatures"])


def compile_regex(pattern, flags=""):
    # ASCII: JavaScript's \w and \d (without the u flag) are ASCII-only too.
    bits = re.ASCII
    for flag in flags or "":
        bits |= _FLAG_BITS[flag]
    return re.compile(pattern, bits)


@functools.lru_cache(maxsize=None)
def compiled_signatures():
    """Signatures with their regexes compiled: tuples of (signature, regex, line_regex|None)."""
    compiled = []
    for signature in signatures():
        regex = compile_regex(signature["regex"], signature.get("flags", ""))
        line_regex = None
        if signature.get("lineRegex"):
            line_regex = compile_regex(signature["lineRegex"])
        compiled.append((signature, regex, line_regex))
    return tuple(compiled)


def clear_cache():
    for cached in (sections, guide_url, signatures, compiled_signatures):
        cached.cache_clear()
