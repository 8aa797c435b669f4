"""The static analyser, as the runner sees it: findings for a file, safe fixes applied to a copy.

Every call to the analyser goes through `call_analyser` (one place to swap for
the Python API `keras_migrate.check/fix` once it exists). Today that is the
TypeScript CLI bundled as `lib/cli/keras-migrate.cjs`, run with Node. It is
looked up in `$KERAS_MIGRATE_CLI`, then next to this source tree (a checkout)
and in the package's share folder. When it cannot be found the run still
happens; the report then says static analysis was unavailable and why.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

_HERE = os.path.dirname(os.path.abspath(__file__))
_CANDIDATES = (
    # Source checkout: python_kernel_hooks/keras_migrate/runner -> repo root.
    os.path.join(_HERE, "..", "..", "..", "lib", "cli", "keras-migrate.cjs"),
    os.path.join(sys.prefix, "share", "jupyter", "keras-migrate", "cli", "keras-migrate.cjs"),
)
ANALYSER_TIMEOUT = 300


class AnalyserUnavailable(Exception):
    pass


def analyser_command():
    """argv prefix that runs the analyser CLI; AnalyserUnavailable when there is none."""
    node = shutil.which("node")
    explicit = os.environ.get("KERAS_MIGRATE_CLI")
    candidates = [explicit] if explicit else list(_CANDIDATES)
    script = next((os.path.abspath(c) for c in candidates if c and os.path.isfile(c)), None)
    if script is None:
        raise AnalyserUnavailable("the keras-migrate analyser (lib/cli/keras-migrate.cjs) is not built; run `jlpm build`")
    if node is None:
        raise AnalyserUnavailable("Node.js is not installed, so the static analyser cannot run")
    return [node, script]


def call_analyser(command, path):
    """Run the analyser's `check` (findings, a list) or `fix` (None: `path` is rewritten in place).

    The one function that talks to the analyser.
    """
    argv = analyser_command()
    if command == "check":
        argv += ["check", "--output-format", "json", "--", path]
    elif command == "fix":
        argv += ["fix", "--", path]
    else:
        raise ValueError(command)
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=ANALYSER_TIMEOUT)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise AnalyserUnavailable("the analyser did not run: %s" % error) from None
    # 0: nothing (left) to report, 1: findings (remain); 2 is a failure with a message on stderr.
    if done.returncode not in (0, 1):
        raise AnalyserUnavailable("the analyser failed on %s: %s" % (path, done.stderr.strip().splitlines()[-1:] or done.returncode))
    if command == "check":
        try:
            return json.loads(done.stdout)
        except ValueError:
            raise AnalyserUnavailable("the analyser's output was not JSON") from None
    return None


def check(path):
    """Static findings for one file (the `check --format json` contract)."""
    return call_analyser("check", path)


def apply_safe_fixes(path):
    """Rewrite the file at `path` (a temporary copy) with the safe fixes applied."""
    call_analyser("fix", path)
