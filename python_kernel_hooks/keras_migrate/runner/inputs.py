"""Which files a run covers, and each one as a notebook nbclient can execute.

Discovery is `keras-migrate check`'s own (`check --show-files`): virtual
environments, site-packages, node_modules, build folders and what .gitignore
ignores are skipped, and `--exclude` adds patterns.

A `.py` file becomes a notebook of its own: split at `# %%` markers when it has
them, otherwise at blank lines between top-level statements, so one run still
shows every independent problem. Each cell remembers its first line in the file,
which maps the analyser's file-level findings (cell null) onto cells.
"""

from __future__ import annotations

import ast
import os
import re
from dataclasses import dataclass, field

_CELL_MARKER = re.compile(r"^# ?%%")


class InputError(Exception):
    """A path that cannot be run, with the reason shown to the user."""

    def __init__(self, path: str, reason: str):
        super().__init__("%s: %s" % (path, reason))
        self.path = path
        self.reason = reason


def collect_files(paths, exclude=None):
    """(files, errors): the .py/.ipynb files under `paths`, found as `keras-migrate check` finds
    them (one discovery, in the analyser), and InputErrors for paths that cannot be read.

    Without the analyser, files named directly still run; a folder cannot be searched.
    """
    from . import analyser

    try:
        files, errors = analyser.files(paths, exclude)
    except analyser.AnalyserUnavailable as error:
        files, errors = [], []
        for path in paths:
            if os.path.isfile(path):
                files.append(path)
            elif os.path.isdir(path):
                errors.append({"path": path, "reason": "cannot search the folder: %s" % error})
            else:
                errors.append({"path": path, "reason": "no such file or directory"})
    return files, [InputError(e["path"], _plain_reason(e["reason"])) for e in errors]


def _plain_reason(reason):
    # The analyser spells a missing path "ENOENT: no such file or directory, stat 'x'".
    if "no such file or directory" in reason.lower():
        return "no such file or directory"
    return reason


@dataclass
class RunnableNotebook:
    """A notebook ready for nbclient, and how its cells map back to the source file."""

    path: str
    kind: str  # "notebook" | "python"
    notebook: object  # nbformat.NotebookNode
    # For .py files: the 1-based first line of each cell in the file.
    first_lines: list = field(default_factory=list)
    language: str = "python"

    def code_cell_indices(self):
        return [index for index, cell in enumerate(self.notebook.cells) if cell.cell_type == "code"]


def _split_python(text):
    """[(first_line, source)] chunks of a .py file."""
    lines = text.splitlines(keepends=True)
    if any(_CELL_MARKER.match(line) for line in lines):
        chunks, start = [], 0
        for number, line in enumerate(lines):
            if _CELL_MARKER.match(line) and number > start:
                chunks.append((start, lines[start:number]))
                start = number
        chunks.append((start, lines[start:]))
    else:
        try:
            body = ast.parse(text).body
        except SyntaxError:
            # Run as one cell: the kernel reports the syntax error itself.
            return [(1, text)] if text.strip() else []
        starts = [0]
        for previous, statement in zip(body, body[1:]):
            first = min([statement.lineno] + [d.lineno for d in getattr(statement, "decorator_list", None) or []])
            # 0-based indices of the lines between the two statements.
            gap = range(previous.end_lineno, first - 1)
            blanks = [number for number in gap if not lines[number].strip()]
            if blanks:
                # Comments after the last blank line belong to the next statement.
                starts.append(blanks[-1] + 1)
        starts = sorted(set(s for s in starts if s < len(lines)))
        chunks = [(s, lines[s:e]) for s, e in zip(starts, starts[1:] + [len(lines)])]
    result = []
    for start, chunk in chunks:
        source = "".join(chunk)
        if source.strip():
            result.append((start + 1, source))
    return result


def load(path):
    """The file at `path` as a RunnableNotebook; InputError when it cannot be read."""
    import nbformat

    try:
        with open(path, "rb") as handle:
            raw = handle.read()
        text = raw.decode("utf-8")
    except OSError as error:
        raise InputError(path, error.strerror or str(error)) from None
    except UnicodeDecodeError:
        raise InputError(path, "not valid UTF-8") from None
    if path.endswith(".ipynb"):
        try:
            notebook = nbformat.reads(text, as_version=4)
        except Exception as error:  # nbformat raises several types for broken files
            raise InputError(path, "not a readable notebook: %s" % str(error).splitlines()[0][:200]) from None
        language = (
            (notebook.metadata.get("kernelspec") or {}).get("language")
            or (notebook.metadata.get("language_info") or {}).get("name")
            or "python"
        )
        for cell in notebook.cells:
            if cell.cell_type == "code":
                cell.outputs = []
                cell.execution_count = None
        return RunnableNotebook(path, "notebook", notebook, [], str(language).lower())
    notebook = nbformat.v4.new_notebook()
    chunks = _split_python(text)
    notebook.cells = [nbformat.v4.new_code_cell(source) for _, source in chunks]
    return RunnableNotebook(path, "python", notebook, [first for first, _ in chunks])
