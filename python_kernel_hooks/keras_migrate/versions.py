"""The one version parser on the Python side: `packaging`'s, as pip reads versions."""

from __future__ import annotations


def parse_version(text):
    """A `packaging` Version, or None for text that is not a version."""
    if not text:
        return None
    from packaging.version import InvalidVersion, Version

    try:
        return Version(str(text).strip())
    except InvalidVersion:
        return None


def release(text):
    """The numeric release of a version string: '3.15.1rc0' -> (3, 15, 1); None when unparsable."""
    version = parse_version(text)
    return None if version is None else version.release
