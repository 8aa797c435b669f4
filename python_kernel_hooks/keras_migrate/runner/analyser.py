"""The static analyser, as the runner sees it: the files a run covers, findings for a
file, safe fixes applied to a copy.

Everything goes through the public Python API (`keras_migrate.analyser`: the same
TypeScript engine and file discovery as `keras-migrate check`). When the analyser
cannot run, the run still happens for files named on the command line; the report
then says static analysis was unavailable and why.
"""

from __future__ import annotations

from .. import analyser as _api

ANALYSER_TIMEOUT = 300


class AnalyserUnavailable(Exception):
    pass


def _call(function, *args, **kwargs):
    try:
        return function(*args, timeout=ANALYSER_TIMEOUT, **kwargs)
    except _api.AnalyserUnavailable as error:
        raise AnalyserUnavailable(str(error)) from None
    except _api.AnalyserError as error:
        lines = str(error).strip().splitlines()
        raise AnalyserUnavailable("the analyser failed: %s" % (lines[-1] if lines else error.returncode)) from None
    except Exception as error:  # a timeout, a broken pipe: the run goes on without static analysis
        raise AnalyserUnavailable("the analyser did not run: %s" % error) from None


def files(paths, exclude=None):
    """(files, [{"path", "reason"}]) that `keras-migrate check` would read under `paths`."""
    return _call(_api.files, list(paths), exclude=exclude or None)


def check(path):
    """Static findings for one file (the `check --output-format json` contract)."""
    return _call(_api.check, path)


def apply_safe_fixes(path):
    """Rewrite the file at `path` (a temporary copy) with the safe fixes applied:
    (number of fixes applied, the findings that remain)."""
    report = _call(_api.fix, path)
    return report["fixed"], report["remaining"]
