"""Recognition rate on the tracebacks collected from public issue threads.

    .venv/bin/python python_kernel_hooks/benchmarks/bench_pastes.py [--misses] [--only NOTE_WORDS]

Reads python_kernel_hooks/tests/pastes/SOURCES.tsv (one row per paste: expected
guide section and signature, "-" for errors that are not Keras 3 migration
problems, source URL, note). Prints how many migration pastes get their guide
section (the recognition rate), how many non-migration pastes raise a false
alarm, the same counts without the pastes whose label is marked DEBATABLE, and
with --misses every paste whose answer differs from its label. --only NOTE_WORDS
keeps the pastes whose note holds those words (a held-out batch: --only "held-out batch 30").
"""

import csv
import json
import os
import sys

HOOKS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, HOOKS)

from keras_migrate.recognize import explain_text  # noqa: E402

PASTES = os.path.join(HOOKS, "tests", "pastes")


def rows():
    with open(os.path.join(PASTES, "SOURCES.tsv"), encoding="utf-8") as handle:
        found = list(csv.DictReader(handle, delimiter="\t"))
    if "--only" in sys.argv:
        words = sys.argv[sys.argv.index("--only") + 1]
        found = [row for row in found if words in (row["note"] or "")]
    return found


def answers():
    for row in rows():
        with open(os.path.join(PASTES, row["paste"]), encoding="utf-8") as handle:
            diagnosis = explain_text(handle.read())
        yield row, (diagnosis["guide"] or "-"), (diagnosis["signature"] or "-")


def summary(results):
    migration = [(row, guide) for row, guide, _ in results if row["expected_guide"] != "-"]
    other = [(row, guide) for row, guide, _ in results if row["expected_guide"] == "-"]
    recognised = sum(1 for row, guide in migration if guide == row["expected_guide"])
    false_alarms = sum(1 for _row, guide in other if guide != "-")
    return {
        "migration pastes": len(migration),
        "recognised (right guide section)": recognised,
        "recognition rate": round(recognised / len(migration), 3) if migration else None,
        "non-migration pastes": len(other),
        "false alarms": false_alarms,
    }


def main():
    results = list(answers())
    clear = [item for item in results if "DEBATABLE" not in (item[0].get("note") or "")]
    report = {
        "pastes": len(results),
        "sources": len({row["source_url"] for row, _, _ in results}),
        "all": summary(results),
        "without debatable labels": summary(clear),
    }
    print(json.dumps(report, indent=2))
    if "--misses" in sys.argv:
        for row, guide, signature in results:
            if guide != row["expected_guide"] or signature != row["expected_signature"]:
                print("%-45s expected %s/%s got %s/%s" % (
                    row["paste"], row["expected_guide"], row["expected_signature"], guide, signature))


if __name__ == "__main__":
    main()
