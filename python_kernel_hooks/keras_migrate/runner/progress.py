"""A tqdm progress bar on stderr while a run goes on; nothing when stderr is not a TTY."""

from __future__ import annotations

import os
import sys


class Progress:
    """Counts (notebook, backend) tasks; shows notebook, backend and cell when tasks run here."""

    def __init__(self, total, stream=None):
        from tqdm import tqdm

        self.stream = stream or sys.stderr
        self.bar = tqdm(total=total, file=self.stream, unit="run", dynamic_ncols=True, leave=False)

    def _describe(self, task, detail=""):
        name = os.path.basename(task["path"])
        variant = " (fixed)" if task["variant"] == "fixed" else ""
        self.bar.set_description_str("%s%s on %s%s" % (name, variant, task["backend"], detail), refresh=True)

    def task_started(self, task):
        self._describe(task)

    def event(self, task, kind, data):
        if kind == "cell":
            self._describe(task, ": cell %d/%d" % (data["position"] + 1, data["count"]))

    def task_done(self, task, result):
        self.bar.update(1)

    def close(self):
        self.bar.close()


def progress_for(total, stream=None):
    """A Progress when `stream` (default stderr) is a terminal, else None."""
    stream = stream or sys.stderr
    try:
        interactive = stream.isatty()
    except (AttributeError, ValueError):
        interactive = False
    if not interactive:
        return None
    try:
        return Progress(total, stream)
    except ImportError:  # tqdm missing: run without a bar
        return None


class EventLines:
    """Progress as JSON lines on a stream, for programs that drive a run (the server's run jobs)."""

    def __init__(self, stream):
        self.stream = stream

    def _write(self, record):
        import json

        self.stream.write(json.dumps(record) + "\n")
        self.stream.flush()

    def task_started(self, task):
        self._write({"event": "task", "backend": task["backend"], "variant": task["variant"], "path": task["path"]})

    def event(self, task, kind, data):
        self._write(dict(data, event=kind, backend=task["backend"], variant=task["variant"], path=task["path"]))

    def task_done(self, task, result):
        self._write({"event": "done", "backend": task["backend"], "variant": task["variant"], "path": task["path"],
                     "status": result["status"]})

    def close(self):
        pass
