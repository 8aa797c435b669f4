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
def backend_settings():
    """backends.json: the training backends (in run order), the environment variable that
    selects one, and the notebook metadata key that keeps a notebook's choice."""
    return _read_json("backends.json")


@functools.lru_cache(maxsize=None)
def api_explanations():
    """signature id -> the apis.json entry explaining that API (what Keras 3 did to it, since when)."""
    by_signature = {}
    for api in _read_json("apis.json")["apis"]:
        for signature in api.get("signatures", ()):
            by_signature.setdefault(signature, api)
    return by_signature


@functools.lru_cache(maxsize=None)
def signatures():
    """The raw signature dicts, in catalog order."""
    return tuple(_read_json("signatures.json")["signatures"])


def compile_regex(pattern, flags=""):
    bits = re.ASCII
    for flag in flags or "":
        bits |= _FLAG_BITS[flag]
    return re.compile(pattern, bits)


_QUANTIFIER_START = frozenset("*+?{")
# Where Keras prints a backtick the paste may have nothing (rendered Markdown) or a quote
# (typed by hand, or a translation that knows no backticks).
_BACKTICK = "['\"]?"


def loosen(pattern):
    """The pattern as it runs against `paste.for_matching` text.

    That text has no backticks and single spaces only, so a backtick in a pattern
    becomes an optional quote (people retype backticks as quotes); a literal space
    may be missing (a line wrapped inside a word), and
    quotes may be missing or be the other kind (pasted through rendered Markdown;
    a missing opening quote must still be at a word start, to stay linear).
    Character classes are left alone except that `'` in one also admits `"`.
    """
    out = []
    index = 0
    in_class = False
    length = len(pattern)
    while index < length:
        char = pattern[index]
        if char == "\\" and index + 1 < length:
            escaped = pattern[index + 1]
            index += 2
            if not in_class and escaped == "`":
                out.append(_BACKTICK)
                continue
            if not in_class and escaped in ("'", '"', " "):
                char = escaped  # handled below as the plain character
                index -= 1
            else:
                out.append("\\" + escaped)
                continue
        if in_class:
            if char == "]" and not pattern[index - 1 : index] == "[" and not pattern[index - 2 : index] == "[^":
                in_class = False
            elif char == "'":
                out.append("'\"")
                index += 1
                continue
            out.append(char)
            index += 1
            continue
        following = pattern[index + 1 : index + 2]
        if char == "[":
            in_class = True
            out.append(char)
        elif char == "`":
            out.append(_BACKTICK)
        elif char in ("'", '"') and following not in _QUANTIFIER_START:
            # An opening quote that is missing still leaves a word start: without the
            # lookbehind the capture after it would be tried at every letter.
            opening = following in ("(", "[", "\\") or following.isalnum()
            out.append("(?:['\"]|(?<![\\w.]))" if opening else "['\"]?")
        elif char == " " and following not in _QUANTIFIER_START:
            out.append(" ?")
        else:
            out.append(char)
        index += 1
    return "".join(out)


@functools.lru_cache(maxsize=None)
def compiled_signatures():
    """Signatures with their regexes compiled: tuples of (signature, regex, line_regex|None).

    `regex` is loosened for pasted text (see `loosen`); `line_regex` runs on source lines as they are.
    """
    compiled = []
    for signature in signatures():
        regex = compile_regex(loosen(signature["regex"]), signature.get("flags", ""))
        line_regex = None
        if signature.get("lineRegex"):
            line_regex = compile_regex(signature["lineRegex"])
        compiled.append((signature, regex, line_regex))
    return tuple(compiled)


@functools.lru_cache(maxsize=None)
def known_names(kind):
    """A frozenset of names a signature capture may be restricted to (`knownNames`), by kind.

    `kerasBackendFunctions`: Keras 2's keras.backend functions that Keras 3's keras.backend
    lacks (ops.json `tfKerasLegacyBackend`) and those ops.json maps to keras.ops; not
    every keras.ops name: keras.backend never held `is_tensor` or `slice`, in Keras 2 either.
    `kerasBackendRemoved`: the keras.backend functions ops.json maps to no Keras op (gone with
    nothing in their place).
    """
    ops = _read_json("ops.json")
    if kind == "kerasBackendFunctions":
        mapped = [entry["name"] for entry in ops.get("backend", []) if entry.get("keras")]
        return frozenset(mapped + list(ops.get("tfKerasLegacyBackend", [])))
    if kind == "kerasBackendRemoved":
        return frozenset(entry["name"] for entry in ops.get("backend", []) if not entry.get("keras"))
    raise KeyError("unknown knownNames kind: %s" % kind)


@functools.lru_cache(maxsize=None)
def compiled_pattern(pattern):
    """A catalog pattern that is not a signature's message regex (e.g. `unless`), compiled once."""
    return compile_regex(pattern)


@functools.lru_cache(maxsize=None)
def keras_builtin_layers():
    """Keras 3's own layer classes that run no user code (signatures.json `kerasBuiltinLayers`)."""
    return frozenset(_read_json("signatures.json").get("kerasBuiltinLayers", ()))


@functools.lru_cache(maxsize=None)
def keras2_frame_files():
    """The compiled `keras2FrameFiles` pattern (file paths of Keras 2's own modules), or None."""
    pattern = _read_json("signatures.json").get("keras2FrameFiles")
    return compile_regex(pattern) if pattern else None


def clear_cache():
    for cached in (sections, guide_url, signatures, compiled_signatures, compiled_pattern, keras2_frame_files, known_names):
        cached.cache_clear()
