"""Find the user's code in a traceback: which cell, which line, what it says.

Two inputs: live traceback objects (in the kernel) and traceback TEXT (pasted
into the explain CLI, or saved in a notebook's error output). Frames inside
Keras, the backends, site-packages, the standard library and this package are
not the user's and are skipped. Every pattern is bounded: traceback text is
untrusted and may be huge.
"""

import linecache
import re

# ipykernel >= 6 compiles each cell to /tmp/ipykernel_<pid>/<hash>.py;
# plain IPython (and old ipykernel) uses <ipython-input-<count>-<hash>>.
IPYKERNEL_CELL_FILE = re.compile(r"[\\/]ipykernel_\d+[\\/]\d+\.py$", re.ASCII)
IPYTHON_INPUT_FILE = re.compile(r"^<ipython-input-(\d{1,9})-[0-9a-f]{1,40}>$", re.ASCII)

LIBRARY_PATH = re.compile(
    r"(?:^|[\\/])(?:site-packages|dist-packages|keras|tf_keras|tensorflow|jax|jaxlib|torch|"
    r"keras_migrate|IPython|ipykernel|absl|numpy)[\\/]"
    r"|[\\/]lib[\\/]python\d[\w.]*[\\/]"
    r"|^<(?!ipython-input-)"
    # AutoGraph's copy of a traced function (tf.data map, tf.function): the user's own line is
    # the frame that called into the trace, not this generated file in a temporary folder.
    r"|[\\/]__autograph_generated_file\w{0,64}\.py$",
    re.ASCII,
)

# Text forms of a frame header.
CELL_FRAME_LINE = re.compile(r"^Cell In\s?\[(\d+)\], line (\d+)(?:, in (.*))?$", re.ASCII)
IPYTHON_FILE_FRAME_LINE = re.compile(r"^File (.+?):(\d+)(?:, in (.*))?$", re.ASCII)
PYTHON_FILE_FRAME_LINE = re.compile(r'^\s*File "(.+?)", line (\d+)(?:, in (.*))?$', re.ASCII)
# Old IPython (< 8) and Colab: "<ipython-input-4-dc0e936f3eed> in <module>", "~/x.py in f(a)", and
# Colab's Markdown links "[/usr/lib/x.py](https://localhost:8080/#) in <module>"; the line number is on the arrow.
OLD_IPYTHON_FRAME_LINE = re.compile(
    r"^\[?(<ipython-input-\d{1,9}-[0-9a-f]{1,40}>|(?:[~/]|[A-Za-z]:\\)[^\]\s]{0,1000})\]?"
    r"(?:\(https?://[^)\s]{0,300}\))? in (\S.{0,300})$",
    re.ASCII,
)
# A Colab served from elsewhere links a path relative to its own root: "[google3/x/keras/src/ops/linalg.py](https://...) in f(x)".
LINKED_RELATIVE_FRAME_LINE = re.compile(r"^\[([^\[\]\s]{1,1000}\.py)\]\(https?://[^)\s]{0,300}\) in (\S.{0,300})$", re.ASCII)
# IPython 8.0-8.4 named a cell "Input In [7], in <cell line: 7>()" (before "Cell In [7], line 7");
# the line number is on the arrow.
INPUT_IN_FRAME_LINE = re.compile(r"^Input In\s?\[(\d{1,9})\], in (.{1,300})$", re.ASCII)
# VS Code's Jupyter extension (2022-2023) names a cell by the notebook's path and the cell's position:
# "/home/u/nb.ipynb Cell 40 line 1", "c:\\Users\\u\\nb.ipynb Cell 3' in <cell line: 2>()".
VSCODE_CELL_FRAME_LINE = re.compile(
    r"^(\S.{0,1000}?\.ipynb) Cell (\d{1,9})(?: line (\d{1,9})(?:,? in (.{1,300}))?|' in (.{1,300}))$", re.ASCII
)
# IPython marks the executing line with an arrow: "----> 7 y = tf.square(x)".
ARROW_LINE = re.compile(r"^-{0,20}>\s{0,20}(\d{1,9})\s?(.*)$", re.ASCII)


def is_user_file(path, cell=None):
    if cell is not None:
        return True
    if not path:
        return False
    if IPYKERNEL_CELL_FILE.search(path) or IPYTHON_INPUT_FILE.search(path):
        return True
    return LIBRARY_PATH.search(path) is None


def make_frame(path, line, function=None, cell=None, text=None):
    return {
        "file": path,
        "cell": cell,
        "line": line,
        "function": function,
        "text": text,
        "user": is_user_file(path, cell),
    }


def frames_from_traceback(tb, filename_map=None):
    """Frames of a live traceback, outermost first.

    `filename_map` maps a compiled cell's filename to its execution count
    (IPython's `shell.compile._filename_map`).
    """
    frames = []
    filename_map = filename_map or {}
    while tb is not None:
        code = tb.tb_frame.f_code
        path = code.co_filename
        lineno = tb.tb_lineno
        cell = filename_map.get(path)
        if cell is None:
            match = IPYTHON_INPUT_FILE.search(path)
            if match:
                cell = int(match.group(1))
        text = linecache.getline(path, lineno).strip()[:4096] or None
        frames.append(make_frame(path, lineno, code.co_name, cell, text))
        tb = tb.tb_next
    return frames


def innermost_user_frame(frames):
    for frame in reversed(frames):
        if frame["user"]:
            return frame
    return None


def innermost_cell_frame(frames):
    for frame in reversed(frames):
        if frame["cell"] is not None or (frame["file"] and IPYKERNEL_CELL_FILE.search(frame["file"])):
            return frame
    return None


def frames_from_text(lines):
    """Frames named in traceback text lines (already free of ANSI codes), outermost first."""
    frames = []
    current = None
    plain_python = False
    for line in lines:
        match = CELL_FRAME_LINE.match(line)
        if match:
            current = make_frame(None, int(match.group(2)), match.group(3), int(match.group(1)))
            frames.append(current)
            plain_python = False
            continue
        match = INPUT_IN_FRAME_LINE.match(line)
        if match:
            current = make_frame(None, None, match.group(2), int(match.group(1)))
            frames.append(current)
            plain_python = False
            continue
        match = VSCODE_CELL_FRAME_LINE.match(line)
        if match:
            line_number = int(match.group(3)) if match.group(3) else None
            current = make_frame(match.group(1), line_number, match.group(4) or match.group(5), int(match.group(2)))
            frames.append(current)
            plain_python = False
            continue
        match = PYTHON_FILE_FRAME_LINE.match(line)
        plain = match is not None
        if match is None:
            match = IPYTHON_FILE_FRAME_LINE.match(line)
        if match:
            plain_python = plain
            path = match.group(1)
            cell_match = IPYTHON_INPUT_FILE.search(path)
            cell = int(cell_match.group(1)) if cell_match else None
            current = make_frame(path, int(match.group(2)), match.group(3), cell)
            frames.append(current)
            continue
        match = OLD_IPYTHON_FRAME_LINE.match(line) or LINKED_RELATIVE_FRAME_LINE.match(line)
        if match:
            plain_python = False
            path = match.group(1)
            cell_match = IPYTHON_INPUT_FILE.search(path)
            cell = int(cell_match.group(1)) if cell_match else None
            current = make_frame(path, None, match.group(2), cell)
            frames.append(current)
            continue
        if current is None or current["text"] is not None:
            continue
        arrow = ARROW_LINE.match(line)
        if arrow:
            current["text"] = arrow.group(2).strip() or None
            if current["line"] is None:
                current["line"] = int(arrow.group(1))
        elif plain_python and line.startswith("    ") and line.strip() and not line.strip().startswith("^"):
            # Plain Python prints the source line indented under `File "...", line N`.
            current["text"] = line.strip()
    return frames
