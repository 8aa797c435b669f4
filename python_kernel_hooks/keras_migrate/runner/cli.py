"""`keras-migrate run`: argparse wiring, kept apart so any front end can mount it.

    add_arguments(parser)   adds run's options to an (sub)parser
    run_command(options)    runs and writes the report; returns the exit code
"""

from __future__ import annotations

import argparse
import os
import sys

from ..backends import TRAINING_BACKENDS, supported_backends

DEFAULT_TIMEOUT = 600


def _backend_list(text):
    names = [name.strip() for name in text.split(",") if name.strip()]
    allowed = supported_backends()
    unknown = [name for name in names if name not in allowed]
    if not names or unknown:
        raise argparse.ArgumentTypeError(
            "unknown backend %s; choose from %s" % (", ".join(unknown) or "(none)", ", ".join(allowed)))
    return list(dict.fromkeys(names))


def _positive_int(text):
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError("must be a positive integer, not %r" % text)
    return value


def _positive_float(text):
    try:
        value = float(text)
    except ValueError:
        value = 0
    if not value > 0:
        raise argparse.ArgumentTypeError("must be a positive number of seconds, not %r" % text)
    return value


def add_arguments(parser):
    parser.add_argument("paths", nargs="+", metavar="PATH", help="notebooks, .py files or folders")
    parser.add_argument("--backends", type=_backend_list, default=list(TRAINING_BACKENDS),
                        help="comma-separated Keras backends (default: tensorflow,jax,torch)")
    parser.add_argument("--timeout", type=_positive_float, default=DEFAULT_TIMEOUT,
                        help="seconds one cell may run before it is interrupted (default %d)" % DEFAULT_TIMEOUT)
    parser.add_argument("--jobs", "-j", type=_positive_int, default=1,
                        help="(notebook, backend) runs at once. Each run works in its own scratch copy of the "
                             "notebook's folder, so runs never share relative files; a notebook that names an "
                             "absolute or '..' path runs its backends one at a time (docs/run-report.md)")
    parser.add_argument("--fixed", action="store_true",
                        help="also run a temporary copy with the safe fixes applied (the original is never touched)")
    parser.add_argument("--exclude", metavar="PATTERNS", action="append", default=[],
                        help="comma-separated globs of files/folders to skip when searching folders (as in check)")
    parser.add_argument("--format", choices=("text", "json", "html"), default="text")
    parser.add_argument("--output", "-o", metavar="FILE", help="write the report to FILE instead of stdout")
    parser.add_argument("--cluster", metavar="ADDRESS",
                        help="run on a Dask distributed scheduler at ADDRESS, or 'local' for a LocalCluster of --jobs workers")
    # For programs that drive a run (the server's run jobs): progress as JSON lines on stdout.
    parser.add_argument("--progress-events", action="store_true", help=argparse.SUPPRESS)
    return parser


def run_command(options, stdout=None, stderr=None):
    """Run what `options` asks; write the report; the exit code (0 all ran, 1 a backend failed, 2 usage)."""
    from . import engine, render
    from .progress import progress_for

    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    exclude = [p.strip() for value in getattr(options, "exclude", None) or [] for p in value.split(",") if p.strip()]
    the_plan = engine.plan(options.paths, options.backends, options.timeout, fixed=options.fixed, exclude=exclude)
    if not the_plan.notebooks or all(n["error"] == "no such file or directory" for n in the_plan.notebooks):
        for notebook in the_plan.notebooks:
            stderr.write("keras-migrate run: %s: %s\n" % (notebook["path"], notebook["error"]))
        if not the_plan.notebooks:
            stderr.write("keras-migrate run: no .py or .ipynb files found\n")
        return 2
    if getattr(options, "progress_events", False):
        from .progress import EventLines

        progress = EventLines(stdout)
    else:
        progress = progress_for(len(the_plan.tasks), stderr)
    try:
        results = engine.execute_with_analysis(the_plan, jobs=options.jobs, cluster=options.cluster, progress=progress)
    except RuntimeError as error:
        stderr.write("keras-migrate run: %s\n" % error)
        return 2
    finally:
        if progress is not None:
            progress.close()
    report = engine.build_report(the_plan, results, options.backends, {
        "timeout": options.timeout, "jobs": options.jobs, "fixed": options.fixed, "cluster": options.cluster,
    })
    for notebook in report["notebooks"]:
        if notebook["error"]:
            stderr.write("keras-migrate run: %s: %s\n" % (notebook["path"], notebook["error"]))
    text = render.FORMATS[options.format](report)
    if options.output:
        _write_atomically(options.output, text)
    else:
        stdout.write(text)
    return engine.exit_code(report)


def _write_atomically(path, text):
    import tempfile

    folder = os.path.dirname(os.path.abspath(path))
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".keras-migrate-run-")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise


def main(argv=None):
    parser = argparse.ArgumentParser(prog="keras-migrate run", description="Run notebooks on every Keras backend.")
    add_arguments(parser)
    return run_command(parser.parse_args(argv))
