"""What a failing cell means: a migration problem, an environment problem, or a consequence.

- Environment: the notebook could not run here for reasons that say nothing
  about the backend (no network, a data file that is not there, a package that
  is not installed). Such cells never count against a backend.
- Consequence: the error only follows from an earlier failure, e.g. a NameError
  for a name the failed cell should have defined.

The kernel hook's diagnosis wins over both: when the hook recognised a
migration problem, it is one.
"""

from __future__ import annotations

import ast
import re

from ..recognize import strip_ansi

# Top-level modules whose absence is a migration problem, not a missing package:
# `keras.layers.experimental` is gone in Keras 3, `tf_keras` is Keras 2.
_MIGRATION_MODULES = frozenset({"keras", "tf_keras"})

_NETWORK_TYPES = frozenset({
    "URLError", "HTTPError", "ConnectionError", "ConnectionRefusedError", "ConnectionResetError",
    "ConnectionAbortedError", "gaierror", "timeout", "SSLError", "ProxyError", "ConnectTimeout",
    "ReadTimeout", "MaxRetryError", "NewConnectionError", "NameResolutionError", "RemoteDisconnected",
})
_NETWORK_TEXT = re.compile(
    r"URL fetch failure|Name or service not known|Temporary failure in name resolution|"
    r"nodename nor servname|Network is unreachable|No route to host|Connection refused|"
    r"Failed to establish a new connection|getaddrinfo failed|Max retries exceeded|"
    r"Could not resolve host|timed out while connecting",
    re.I,
)
_MISSING_FILE_TYPES = frozenset({"FileNotFoundError", "NotFoundError"})
_MISSING_FILE_TEXT = re.compile(r"No such file or directory|Unable to (?:synchronously )?open file|does not exist", re.I)
_MISSING_MODULE = re.compile(r"No module named '([^']+)'")
_NAME_ERROR = re.compile(r"name '([^']+)' is not defined")
# Python 3.11 counts the ast module's recursion per interpreter, not per thread, so a parse that
# another parse interrupts (tf.data running Python in its threads, a finalizer) fails with this
# SystemError (CPython gh-106905): nothing about the notebook or the backend.
_INTERPRETER_RACE = "AST constructor recursion depth mismatch"


def environment_reason(ename, evalue, traceback_text=""):
    """Why this error is an environment problem ("network: ...", ...), or None."""
    ename = ename or ""
    evalue = strip_ansi(evalue or "")
    short = ename.rsplit(".", 1)[-1]
    text = evalue + "\n" + strip_ansi(traceback_text or "")
    if short in ("ModuleNotFoundError", "ImportError"):
        match = _MISSING_MODULE.search(evalue)
        if match:
            top = match.group(1).split(".")[0]
            if top in _MIGRATION_MODULES:
                return None
            return "missing package: %s is not installed" % top
        return None
    if short == "SystemError" and _INTERPRETER_RACE in evalue:
        return "interpreter: Python's ast module lost count while two parses overlapped (CPython gh-106905); run again"
    if short in _NETWORK_TYPES or _NETWORK_TEXT.search(text):
        return "network: %s" % _head(evalue or ename)
    if short in _MISSING_FILE_TYPES or (short in ("OSError", "IOError") and _MISSING_FILE_TEXT.search(evalue)):
        return "missing file: %s" % _head(evalue or ename)
    return None


def message_head(evalue, limit=300):
    """The informative first line of an exception message: Keras's
    "Exception encountered when calling X.call()" and "Could not automatically
    infer the output shape ... Error encountered:" wrappers are peeled off."""
    from ..recognize import unwrap_keras_message

    text = strip_ansi(evalue or "").strip()
    for _ in range(5):
        inner = unwrap_keras_message(text)
        marker = inner.find("Error encountered:")
        if marker >= 0 and "Could not automatically infer" in inner[:marker]:
            inner = inner[marker + len("Error encountered:"):].strip()
        if inner == text:
            break
        text = inner
    return _head(text, limit)


def _head(text, limit=200):
    first = text.strip().splitlines()[0] if text.strip() else ""
    return first if len(first) <= limit else first[: limit - 1] + "…"


def missing_name(ename, evalue):
    """The undefined name of a NameError, else None."""
    if (ename or "").rsplit(".", 1)[-1] not in ("NameError", "UnboundLocalError"):
        return None
    match = _NAME_ERROR.search(strip_ansi(evalue or ""))
    return match.group(1) if match else None


def defined_names(source):
    """Names a cell binds at top level (assignments, def, class, import, for/with targets).

    IPython syntax (magics, `!cmd`) is blanked line by line first, so the rest
    of the cell still counts; a cell that does not parse binds nothing we can see.
    """
    lines = []
    for line in source.splitlines():
        stripped = line.lstrip()
        lines.append("" if stripped.startswith(("%", "!", "?")) else line)
    try:
        tree = ast.parse("\n".join(lines))
    except (SyntaxError, ValueError):
        return set(re.findall(r"^([A-Za-z_]\w*)\s*=", source, re.M))
    names = set()

    def targets(node):
        if isinstance(node, ast.Name):
            names.add(node.id)
        elif isinstance(node, (ast.Tuple, ast.List)):
            for element in node.elts:
                targets(element)
        elif isinstance(node, ast.Starred):
            targets(node.value)

    def visit(statements):
        for node in statements:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.add(node.name)
            elif isinstance(node, ast.Assign):
                for target in node.targets:
                    targets(target)
            elif isinstance(node, (ast.AnnAssign, ast.AugAssign)):
                targets(node.target)
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                for alias in node.names:
                    names.add((alias.asname or alias.name).split(".")[0])
            elif isinstance(node, (ast.For, ast.AsyncFor)):
                targets(node.target)
                visit(node.body)
                visit(node.orelse)
            elif isinstance(node, (ast.With, ast.AsyncWith)):
                for item in node.items:
                    if item.optional_vars is not None:
                        targets(item.optional_vars)
                visit(node.body)
            elif isinstance(node, (ast.If, ast.While)):
                visit(node.body)
                visit(node.orelse)
            elif isinstance(node, ast.Try):
                visit(node.body)
                for handler in node.handlers:
                    visit(handler.body)
                visit(node.orelse)
                visit(node.finalbody)
            elif isinstance(node, ast.Expr) and isinstance(node.value, ast.NamedExpr):
                targets(node.value.target)

    visit(tree.body)
    return names


_CELL_REFERENCE = re.compile(r"(?:Cell In\s*\[|Input In\s*\[|<ipython-input-)(\d+)")


def referenced_execution_counts(traceback_lines):
    """Execution counts (In[N]) of the cells a traceback passes through."""
    counts = []
    for entry in traceback_lines or []:
        for match in _CELL_REFERENCE.finditer(strip_ansi(entry)):
            number = int(match.group(1))
            if number not in counts:
                counts.append(number)
    return counts
