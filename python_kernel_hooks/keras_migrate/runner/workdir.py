"""Where each (notebook, variant, backend) run works: a scratch folder of its own.

The backends of one notebook may run at the same time (`--jobs`, `--cluster`), and the
original and the `--fixed` copy run one after the other. In the notebook's own folder they
would share every file they write: the checkpoint the TensorFlow run saves is the one the JAX
run loads, or both write one HDF5 file at once and one of them fails. So each run gets a fresh
temporary folder that looks like the notebook's folder:

- the folder's files and sub-folders are copied, up to COPY_FILES files and COPY_BYTES bytes
  in all (a run may overwrite its copies); what does not fit (a data set, a big file) and
  links are symbolic links to the originals, so relative reads find what they found before;
- `TMPDIR` points into the run's folder too, so `tempfile` paths are the run's own;
- new files land in the run's folder, which is removed afterwards: the notebook's folder is
  left as it was.

What a scratch folder cannot separate: absolute paths (`"/tmp/ckpt.h5"`, `"~/data"`, the home
folder), paths that climb out of the folder (`"../data"`), and writes inside a linked
sub-folder or big file. A notebook whose code names such a path (as a string literal) is
*shared* (`placement`): its runs never run at the same time as another shared run, and one
that names `..` runs in the notebook's own folder, as Jupyter would.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from dataclasses import dataclass

COPY_FILES = 200
COPY_BYTES = 32 * 1024 * 1024

# A string literal that starts an absolute path: "/x", "~/x", "C:\x", "\\server".
_ABSOLUTE = re.compile(r"""(?<![\w'"])[rRbBuUfF]{0,2}(['"])(?:/|~[/\\'"]|[A-Za-z]:[\\/]|\\\\)""")
# A path component "..": "../x", "a/../b", "..".
_PARENT = re.compile(r"""(['"/\\])\.\.(?=[/\\'"])""")
# The home folder reached without a literal.
_HOME = re.compile(r"""expanduser|Path\.home\(|environ\[\s*['"](?:HOME|USERPROFILE)|getenv\(\s*['"](?:HOME|USERPROFILE)""")
_LITERAL = re.compile(r"""(['"])([^'"\n]{1,300})\1""")


@dataclass(frozen=True)
class Placement:
    """How a notebook's runs are placed: `shared` runs go one at a time; `in_folder` runs use
    the notebook's own folder instead of a scratch copy. `reason` says why (None: isolated)."""

    shared: bool = False
    in_folder: bool = False
    reason: str | None = None


def _layout(folder: str):
    """(folders to make, files to copy, entries to link), as paths relative to `folder`: whole
    sub-folders and files are copied while they fit in COPY_FILES files and COPY_BYTES bytes in
    all (in name order); what does not fit, and every symbolic link, is linked."""
    made, copied, linked = [], [], []
    budget = {"files": COPY_FILES, "bytes": COPY_BYTES}

    def size_of(path, limit_files, limit_bytes):
        files = size = 0
        for base, dirs, names in os.walk(path):
            dirs.sort()
            for name in names:
                full = os.path.join(base, name)
                if os.path.islink(full):
                    continue
                files, size = files + 1, size + os.lstat(full).st_size
                if files > limit_files or size > limit_bytes:
                    return None
            if any(os.path.islink(os.path.join(base, d)) for d in dirs):
                return None  # a link to elsewhere inside: keep the folder linked
        return files, size

    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError:
        return made, copied, linked
    for entry in entries:
        try:
            if entry.is_symlink():
                linked.append(entry.name)
            elif entry.is_dir():
                fits = size_of(entry.path, budget["files"], budget["bytes"])
                if fits is None:
                    linked.append(entry.name)
                    continue
                budget["files"] -= fits[0]
                budget["bytes"] -= fits[1]
                for base, dirs, names in os.walk(entry.path):
                    dirs.sort()
                    relative = os.path.relpath(base, folder)
                    made.append(relative)
                    copied += [os.path.join(relative, n) for n in sorted(names)]
            elif entry.is_file():
                length = entry.stat().st_size
                if budget["files"] >= 1 and length <= budget["bytes"]:
                    budget["files"] -= 1
                    budget["bytes"] -= length
                    copied.append(entry.name)
                else:
                    linked.append(entry.name)
        except OSError:
            continue
    return made, copied, linked


def linked_names(folder: str) -> list[str]:
    """The entries of `folder` (relative paths) a scratch folder links rather than copies."""
    return _layout(folder)[2]


def placement(code: str, folder: str) -> Placement:
    """Where runs of `code` (all its cells, every variant) that reads relative to `folder` go."""
    match = _PARENT.search(code)
    if match:
        return Placement(True, True, "names a path outside its folder (..)")
    match = _ABSOLUTE.search(code)
    if match:
        line = code[match.start():].split("\n", 1)[0][:60]
        return Placement(True, False, "names an absolute path (%s)" % line)
    if _HOME.search(code):
        return Placement(True, False, "uses the home folder")
    linked = linked_names(folder)
    if linked:
        for literal in _LITERAL.finditer(code):
            path = literal.group(2).replace("\\", "/")
            path = path[2:] if path.startswith("./") else path
            for name in linked:
                if path == name or path.startswith(name + "/"):
                    return Placement(True, False, "names %r, which runs share (a linked folder or big file)" % name)
    return Placement()


def create(folder: str, in_folder: bool = False) -> tuple[str, str, str]:
    """(root, working folder, TMPDIR) of a new run. The working folder is a scratch copy of
    `folder` (copies and links, see the module) or, with in_folder, `folder` itself.
    remove(root) deletes what the run left; the originals are never touched."""
    root = tempfile.mkdtemp(prefix="keras-migrate-run-")
    temporary = os.path.join(root, "tmp")
    os.mkdir(temporary)
    if in_folder:
        return root, folder, temporary
    work = os.path.join(root, "work")
    os.mkdir(work)
    made, copied, linked = _layout(folder)
    for relative in made:
        os.makedirs(os.path.join(work, relative), exist_ok=True)
    for relative in copied:
        try:
            shutil.copy2(os.path.join(folder, relative), os.path.join(work, relative))
        except OSError:
            continue  # unreadable or vanished: the run does without it
    for relative in linked:
        source = os.path.abspath(os.path.join(folder, relative))
        try:
            os.symlink(source, os.path.join(work, relative), target_is_directory=os.path.isdir(source))
        except OSError:
            continue  # links not allowed here
    return root, work, temporary


def remove(root: str | None) -> None:
    """Delete a run's folder: its links go, never what they point to."""
    if root:
        shutil.rmtree(root, ignore_errors=True)
