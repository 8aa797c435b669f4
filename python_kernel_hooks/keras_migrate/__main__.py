"""`python -m keras_migrate explain [FILE|-] [--format text|json]`.

Reads pasted traceback (or warning) text and prints the diagnosis. Exit code 0
whether or not a migration problem is recognised (`"guide": null` then); 2 for
bad usage or an unreadable file.
"""

import argparse
import json
import sys


def _text_report(diagnosis):
    if diagnosis["guide"] is None:
        return "No Keras 3 migration problem recognised.\n"
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


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m keras_migrate", description="Keras 2 to Keras 3 migration help.")
    commands = parser.add_subparsers(dest="command", required=True)
    explain = commands.add_parser("explain", help="explain a pasted traceback or warning")
    explain.add_argument("file", nargs="?", default="-", help="file holding the traceback text, or - for stdin (default)")
    explain.add_argument("--format", choices=("text", "json"), default="text")
    from .runner import add_arguments as add_run_arguments

    add_run_arguments(commands.add_parser("run", help="run notebooks on every Keras backend, cell by cell"))
    options = parser.parse_args(argv)
    if options.command == "run":
        from .runner import run_command

        return run_command(options)

    try:
        if options.file == "-":
            text = sys.stdin.read()
        else:
            with open(options.file, encoding="utf-8", errors="replace") as handle:
                text = handle.read()
    except OSError as error:
        sys.stderr.write("keras_migrate explain: cannot read %s: %s\n" % (options.file, error.strerror or error))
        return 2

    from .recognize import explain_text

    diagnosis = explain_text(text)
    if options.format == "json":
        sys.stdout.write(json.dumps(diagnosis, ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(_text_report(diagnosis))
    return 0


if __name__ == "__main__":
    sys.exit(main())
