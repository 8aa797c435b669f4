"""Clean up text that people paste: bounded, linear-time, standard library only.

Traceback text reaches the recognizer from notebooks (saved error outputs),
from the CLI and from the server endpoint. It is untrusted and often mangled by
the way it travelled: ANSI colour codes (with or without their ESC byte), a log
prefix on every line (`(pid=1234)`, timestamps, pytest's `E   `), lines wrapped
by a terminal or an editor, backticks lost when copied from rendered Markdown,
quotes turned typographic, and editors' Markdown links around file names
(VS Code, Colab). Everything here runs in time linear in the input
and looks at no more than `MAX_TEXT_CHARS` of it.
"""

import re

# Bounds. A message or paste longer than this keeps its head and its tail: the
# exception line is at the end of a traceback, the telling sentence is usually
# at the start of a message.
MAX_TEXT_CHARS = 128 * 1024
MAX_MESSAGE_CHARS = 32 * 1024
ELISION = "\n[... keras-migrate: %d characters not shown ...]\n"

ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;?]{0,32}[ -/]{0,8}[@-~]|\x1b[()][0-9A-Za-z]|\x1b", re.ASCII)
# Colour codes whose ESC byte was lost on the way ("[0;31mValueError[0m").
BARE_SGR = re.compile(r"\[(?:\d{1,3}(?:;\d{1,3}){0,8})?m", re.ASCII)

# One prefix that loggers and runners put before every line; several may stack.
LINE_PREFIX = re.compile(
    r"^(?:"
    r"\((?:[\w.:-]{1,64} )?pid=\d{1,10}(?:, ip=[\w.:]{1,64})?\) ?"  # Ray: (pid=1234), (Worker pid=1, ip=10.0.0.1)
    r"|\[?\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(?:[.,]\d{1,9})?(?:Z|[+-]\d\d:?\d\d)?\]?:?(?: -)? ?"  # ISO timestamps
    r"|\[?\d\d:\d\d:\d\d(?:[.,]\d{1,9})?\]?:? ?"  # clock times
    r"|E {3}|E$"  # pytest's failure lines
    r"|> ?"  # e-mail / Markdown quoting
    r"|#\d{1,4} \d{1,4}\.\d{1,4} "  # docker build steps: "#12 3.456 "
    r"){1,6}",
    re.ASCII,
)
# Typographic and look-alike quotes as people's editors produce them.
QUOTE_TRANSLATION = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u00b4": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
        "\u00a0": " ", "\u2009": " ", "\u202f": " ",
    }
)
WHITESPACE_RUN = re.compile(r"\s+")
# VS Code and Colab print tracebacks with Markdown links around file names and line numbers:
# "Cell In[15], [line 1](vscode-notebook-cell:?execution_count=15&line=1)",
# "----> [1](vscode-notebook-cell:...) import x", "File [~/x.py:2](https://file+.vscode-resource...)".
# The link text is what plain IPython prints there.
EDITOR_LINK = re.compile(
    r"\[([^\[\]\n]{0,300})\]\((?:vscode-notebook-cell:|https?://file\+\.vscode-resource\.|https?://localhost(?::\d{1,5})?/)[^()\s]{0,2000}\)",
    re.ASCII,
)
EDITOR_LINK_HINTS = ("](vscode-notebook-cell:", "](https://file+.vscode-resource.", "](http://localhost", "](https://localhost")


def bound(text, limit):
    """`text` if it is short enough, else its head and tail with a marker between."""
    if len(text) <= limit:
        return text
    half = limit // 2
    return text[:half] + ELISION % (len(text) - 2 * half) + text[-half:]


def strip_ansi(text):
    text = ANSI_ESCAPE.sub("", text)
    if "[0m" in text or "[1;" in text or "[0;" in text:
        text = BARE_SGR.sub("", text)
    return text


def clean_lines(text):
    """Lines of pasted text: bounded, without colours, log prefixes or odd quotes."""
    text = bound(text or "", MAX_TEXT_CHARS)
    text = strip_ansi(text).translate(QUOTE_TRANSLATION)
    if any(hint in text for hint in EDITOR_LINK_HINTS):
        text = EDITOR_LINK.sub(r"\1", text)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if _prefixed_share(lines) >= 0.5:
        lines = [LINE_PREFIX.sub("", line, count=1) for line in lines]
    return lines


def _prefixed_share(lines):
    """Share of non-empty lines with a log prefix: strip only when the paste is a log."""
    filled = [line for line in lines if line.strip()]
    if not filled:
        return 0.0
    return sum(1 for line in filled if LINE_PREFIX.match(line)) / len(filled)


def for_matching(message, join_wrapped=False):
    """The form of a message that catalog regexes see.

    Backticks are dropped (rendered Markdown loses them; `catalog.compile_regex`
    drops them from patterns too), typographic quotes become straight ones, and
    every whitespace run becomes one space, so lines wrapped at a space match.
    With `join_wrapped`, line breaks are removed instead, for wraps inside a word.
    """
    text = bound(message or "", MAX_MESSAGE_CHARS).translate(QUOTE_TRANSLATION).replace("`", "")
    if join_wrapped:
        text = "".join(line.strip(" \t") for line in text.split("\n"))
    return WHITESPACE_RUN.sub(" ", text).strip()
