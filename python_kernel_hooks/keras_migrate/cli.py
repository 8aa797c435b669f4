"""The `keras-migrate` console script (also `python -m keras_migrate`).

    keras-migrate check | fix | rules  -> the TypeScript/WASM analyser (see analyser.py),
                                          handed the arguments unchanged: it parses them
                                          (node:util parseArgs) and owns their --help
    keras-migrate explain              -> the Python recognizer (no Node needed)
    keras-migrate run                  -> the backend-matrix runner (keras_migrate.runner)

The npm package's `keras-migrate` bin is the same analyser bundle, so both spellings
give the same results for check, fix and rules.
"""

from __future__ import annotations

# argparse, json and subprocess are imported where they are used: `check`, `fix` and `rules`
# hand over to Node before any of them is needed (they and what they import, re and enum,
# were tens of milliseconds of every `check`).
import os
import sys

ANALYSER_COMMANDS = {
    "check": "report Keras 3 migration problems in .py and .ipynb files and folders",
    "fix": "apply fixes in place (or --diff), report what remains",
    "rules": "list the rules",
}

EXIT_CODES = """exit codes:
  0  no findings (fix: nothing remains; explain: always, recognised or not)
  1  findings reported (fix: findings remain; run: a backend failed)
  2  bad usage, an unreadable or invalid input, or an internal error

Run `keras-migrate COMMAND --help` for a command's options."""


def _text_report(diagnosis):
    if diagnosis["guide"] is None:
        if not diagnosis.get("incomplete"):
            return "No Keras 3 migration problem recognised.\n"
        return "%s\n\nWhy: %s\nFix: %s\n" % (diagnosis["title"], diagnosis["explanation"], diagnosis["fix"])
    lines = ["%s  [guide: %s]" % (diagnosis["title"], diagnosis["guide"])]
    if diagnosis["line"] is not None:
        where = "In[%d], line %d" % (diagnosis["cell"], diagnosis["line"]) if diagnosis["cell"] is not None else (
            "%s, line %d" % (diagnosis["file"], diagnosis["line"]) if diagnosis["file"] else "line %d" % diagnosis["line"]
        )
        lines.append("Where: " + where + (": " + diagnosis["cell_line_text"] if diagnosis["cell_line_text"] else ""))
    if diagnosis["names"]:
        lines.append("Names: " + ", ".join("%s=%s" % item for item in sorted(diagnosis["names"].items())))
    lines.append("")
    lines.append("Why: " + diagnosis["explanation"])
    lines.append("Fix: " + diagnosis["fix"])
    if diagnosis.get("guide_url"):
        lines.append("Guide: " + diagnosis["guide_url"])
    return "\n".join(lines) + "\n"


def _add_explain_arguments(parser):
    parser.add_argument(
        "file", nargs="*", default=["-"],
        help="files holding traceback text, or - for stdin (default); several files are explained one by one",
    )
    parser.add_argument("--output-format", "--format", dest="format", choices=("text", "json"), default="text")


def _read_explain_input(name):
    if name == "-":
        return sys.stdin.read()
    with open(name, encoding="utf-8", errors="replace") as handle:
        return handle.read()


def _explain_text(payload):
    diagnoses = payload["diagnoses"] or [payload["diagnosis"]]
    if len(diagnoses) == 1:
        return _text_report(diagnoses[0])
    return "\n".join(
        "Traceback %d of %d: %s" % (number, len(diagnoses), _text_report(diagnosis))
        for number, diagnosis in enumerate(diagnoses, 1)
    )


def _explain(options):
    from .recognize import explain_payload

    files = options.file
    answers = []
    status = 0
    for name in files:
        try:
            text = _read_explain_input(name)
        except OSError as error:
            # The other files are still explained; the exit code says one could not be read.
            sys.stderr.write("keras-migrate explain: cannot read %s: %s\n" % (name, error.strerror or error))
            status = 2
            continue
        answers.append((name, explain_payload(text)))
    if options.format == "json":
        import json

        if len(files) == 1:
            # The explain endpoint's answer: every traceback's diagnosis, and the one to show first.
            if answers:
                sys.stdout.write(json.dumps(answers[0][1], ensure_ascii=False, indent=2) + "\n")
        else:
            # Several files (one Python start for all of them): that answer per file, in order.
            listing = [dict(file=name, **payload) for name, payload in answers]
            sys.stdout.write(json.dumps(listing, ensure_ascii=False, indent=2) + "\n")
        return status
    for number, (name, payload) in enumerate(answers):
        if len(files) > 1:
            sys.stdout.write("%s== %s\n" % ("\n" if number else "", name))
        sys.stdout.write(_explain_text(payload))
    return status


def build_parser(prog="keras-migrate"):
    import argparse

    parser = argparse.ArgumentParser(
        prog=prog,
        description="Find, explain and fix Keras 2 (tf.keras) -> Keras 3 migration problems.",
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    from . import __version__

    parser.add_argument("--version", action="version", version=__version__)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, summary in ANALYSER_COMMANDS.items():
        # Options belong to the analyser, which parses them (and prints this command's --help).
        commands.add_parser(name, help=summary, add_help=False)
    explain = commands.add_parser(
        "explain",
        help="explain a pasted Keras traceback or warning",
        description="Explain a Keras 3 migration error from a pasted traceback or warning.",
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_explain_arguments(explain)
    from .runner import add_arguments as add_run_arguments

    add_run_arguments(commands.add_parser("run", help="run notebooks on every Keras backend, cell by cell"))
    return parser


def _run_analyser(command, rest):
    from .analyser import AnalyserUnavailable, command as analyser_command, compile_cache

    try:
        argv = analyser_command() + [command, *rest]
    except AnalyserUnavailable as error:
        sys.stderr.write("keras-migrate: %s\n" % error)
        return 2
    compile_cache(os.environ)
    sys.stdout.flush()
    sys.stderr.flush()
    if os.name == "posix":
        # Become the analyser: signals (Ctrl-C during fix), the terminal (colour) and
        # pipes reach it directly, and no Python process waits in between.
        os.execv(argv[0], argv)
    import subprocess

    return subprocess.call(argv)


def main(argv=None, prog="keras-migrate"):
    argv = list(sys.argv[1:] if argv is None else argv)
    # The analyser's commands get the rest of the line unchanged: the analyser parses it.
    # Decided before the parser is built: building it imports the runner (importlib.metadata
    # and more), tens of milliseconds of every `check` that only hands over to Node.
    if argv and argv[0] in ANALYSER_COMMANDS:
        return _run_analyser(argv[0], argv[1:])
    parser = build_parser(prog)
    options = parser.parse_args(argv)
    if options.command == "explain":
        return _explain(options)
    if options.command == "run":
        from .runner import run_command

        return run_command(options)
    parser.error("unknown command %s" % options.command)
    return 2


def console_script():
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
    except BrokenPipeError:
        # `keras-migrate ... | head`: the reader is gone; say nothing more.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(0)
