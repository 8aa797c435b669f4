"""`keras-migrate run`: execute notebooks on every Keras backend and compare with the analyser.

Front ends mount the command with `add_arguments(parser)` and `run_command(options)`;
`run_paths(...)` returns the report dict (schema: docs/run-report.md).
"""

from .cli import add_arguments, run_command


def run_paths(paths, backends=("tensorflow", "jax", "torch"), timeout=600, jobs=1, fixed=False, cluster=None,
              progress=None):
    """The run report for `paths` as a dict (no output). `progress`, when given, hears
    task_started(task), event(task, kind, data) and task_done(task, result) (see runner.progress)."""
    from . import engine

    the_plan = engine.plan(list(paths), list(backends), timeout, fixed=fixed)
    results = engine.execute_with_analysis(the_plan, jobs=jobs, cluster=cluster, progress=progress)
    return engine.build_report(the_plan, results, list(backends),
                               {"timeout": timeout, "jobs": jobs, "fixed": fixed, "cluster": cluster})


__all__ = ["add_arguments", "run_command", "run_paths"]
