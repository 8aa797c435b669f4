"""Adds up the jest, pytest and Playwright reports into one closing line.

Prints 'tests: N passed, N failed, N skipped' so a reader (and CI) sees the whole
run at a glance; exits 1 when anything failed or when a suite left no report.
"""
import json
import sys
import xml.etree.ElementTree as ET
from pathlib import Path


def jest(path):
    data = json.loads(path.read_text())
    return (data["numPassedTests"], data["numFailedTests"] + data.get("numRuntimeErrorTestSuites", 0),
            data["numPendingTests"] + data.get("numTodoTests", 0))


def pytest(path):
    root = ET.parse(path).getroot()
    suites = [root] if root.tag == "testsuite" else list(root)
    total = failed = skipped = 0
    for suite in suites:
        total += int(suite.get("tests", 0))
        failed += int(suite.get("failures", 0)) + int(suite.get("errors", 0))
        skipped += int(suite.get("skipped", 0))
    return total - failed - skipped, failed, skipped


def galata(path):
    stats = json.loads(path.read_text())["stats"]
    return stats["expected"] + stats.get("flaky", 0), stats["unexpected"], stats["skipped"]


def main(folder):
    folder = Path(folder)
    readers = {"jest.json": jest, "pytest.xml": pytest, "galata.json": galata}
    passed = failed = skipped = 0
    missing = []
    for name, reader in readers.items():
        path = folder / name
        if not path.exists():
            missing.append(name)
            continue
        p, f, s = reader(path)
        if p + f + s == 0:
            missing.append(name)  # a suite that ran nothing did not test anything
            continue
        print(f"{name.split('.')[0]:>7}: {p} passed, {f} failed, {s} skipped")
        passed, failed, skipped = passed + p, failed + f, skipped + s
    for name in missing:
        print(f"{name.split('.')[0]:>7}: no tests ran (the suite failed to start or did not finish)")
    # A suite that produced no results counts as one failure, so the closing line
    # never reads "0 failed" for a run that did not test everything.
    failed += len(missing)
    print(f"tests: {passed} passed, {failed} failed, {skipped} skipped")
    return 1 if failed or missing or passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
