"""Benchmark the recognizer on large untrusted text: 100 KB and 1 MB.

    .venv/bin/python python_kernel_hooks/benchmarks/bench_recognize.py

Three inputs per size: a saved stderr stream (log lines), a traceback whose
exception message is huge, and the worst repeated fragment for the catalog.
Reports the median wall time of `explain_text` (what the server endpoint and
the CLI run) and of the hook's path for a live exception with that message.
"""

import json
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from keras_migrate.recognize import explain_text, records_from_exception, recognize_records  # noqa: E402

SIZES = {"100KB": 100_000, "1MB": 1_000_000}


def fill(fragment, size):
    return (fragment * (size // len(fragment) + 1))[:size]


def inputs(size):
    return {
        "log stream": fill("2024-05-01 10:11:12.345678: I tensorflow/core/platform/cpu_feature_guard.cc:210] step 12/100\n", size),
        "huge message": "Traceback (most recent call last):\n  File \"train.py\", line 3, in <module>\n"
        + "ValueError: Argument(s) not recognized: {'lr': 0.1, '" + fill("x", size) + "': 1}\n",
        "repeated prefix": fill("The filepath provided must end in `.keras` ", size),
    }


def median_time(function, argument, repeats=5):
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        function(argument)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def hook_path(message):
    try:
        raise ValueError(message)
    except ValueError as error:
        return recognize_records(records_from_exception(error))


def main():
    report = {}
    for label, size in SIZES.items():
        for name, text in inputs(size).items():
            report["explain_text %s %s (ms)" % (name, label)] = round(1000 * median_time(explain_text, text), 2)
        report["hook huge message %s (ms)" % label] = round(1000 * median_time(hook_path, fill("x", size)), 2)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
