"""Recognition takes linear time on untrusted text.

Every catalog regex (as the recognizer runs it, loosened) is fed 500 KB inputs
built to make a backtracking engine work hardest: the pattern's own near-match
cut at several points and repeated, and runs of single characters. Time at
500 KB is compared with time at 50 KB: linear work grows about 10x, quadratic
work 100x. The recognizer as a whole gets 1 MB against 100 KB. No time threshold:
only the growth (in CPU time) is asserted.
"""

import re
import time

import pytest

from keras_migrate import catalog
from keras_migrate.recognize import explain_text, records_from_exception, recognize_records

try:  # Python 3.11+
    from re import _constants as sre_constants, _parser as sre_parse
except ImportError:  # pragma: no cover
    import sre_constants
    import sre_parse

SMALL, LARGE = 100_000, 1_000_000
# Each of the ~400 catalog regexes gets seven fills: half the size keeps that under a minute and a half
# of CI while a quadratic pattern still grows 100x.
REGEX_SMALL, REGEX_LARGE = 50_000, 500_000
# Linear growth is 10x; allow for noise on a shared machine, far below quadratic (100x).
MAX_GROWTH = 30
TIME_FLOOR = 2e-4  # below this a measurement is noise

_CATEGORY_SAMPLE = {
    sre_constants.CATEGORY_DIGIT: "1",
    sre_constants.CATEGORY_SPACE: " ",
    sre_constants.CATEGORY_WORD: "a",
    sre_constants.CATEGORY_NOT_SPACE: "a",
    sre_constants.CATEGORY_NOT_DIGIT: "a",
    sre_constants.CATEGORY_NOT_WORD: " ",
}


def near_match(pattern):
    """A short string that walks the whole pattern: first branch, minimal repeats."""
    out = []

    def walk(items):
        for op, value in items:
            if op is sre_constants.LITERAL:
                out.append(chr(value))
            elif op is sre_constants.NOT_LITERAL:
                out.append("a" if value != ord("a") else "b")
            elif op is sre_constants.IN:
                char = "a"
                for kind, item in value:
                    if kind is sre_constants.LITERAL:
                        char = chr(item)
                        break
                    if kind is sre_constants.RANGE:
                        char = chr(item[0])
                        break
                    if kind is sre_constants.CATEGORY:
                        char = _CATEGORY_SAMPLE.get(item, "a")
                        break
                out.append(char)
            elif op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT):
                low, _high, sub = value
                for _ in range(max(low, 1)):
                    walk(sub)
            elif op is sre_constants.SUBPATTERN:
                walk(value[-1])
            elif op is sre_constants.BRANCH:
                walk(value[1][0])
            elif op is sre_constants.ANY:
                out.append("a")

    walk(sre_parse.parse(pattern))
    return "".join(out)


def adversarial_fills(pattern):
    sample = near_match(pattern)
    cuts = sorted({len(sample) // 3, 2 * len(sample) // 3, len(sample)} - {0})
    return [sample[:cut] for cut in cuts] + ["a", "a.", "' ", "{'1"]


def repeated(fill, size):
    return (fill * (size // len(fill) + 1))[:size]


def elapsed(function, text):
    # CPU time of this process: on a shared machine wall-clock time mostly measures the neighbours.
    start = time.process_time()
    function(text)
    return time.process_time() - start


def growth(function, fill, small_size=SMALL, large_size=LARGE):
    """Time at the large size over time at the small one (1 MB and 100 KB unless given), each the best
    of a few runs (the machine is shared)."""
    small_text, large_text = repeated(fill, small_size), repeated(fill, large_size)
    small = max(min(elapsed(function, small_text) for _ in range(3)), TIME_FLOOR)
    large = elapsed(function, large_text)
    for _ in range(5):  # a slow sample on a busy machine is retried, a real blow-up stays slow
        if large / small <= MAX_GROWTH:
            break
        small = max(min(small, elapsed(function, small_text)), TIME_FLOOR)
        large = min(large, elapsed(function, large_text))
    return large / small


def catalog_patterns():
    for signature, regex, line_regex in catalog.compiled_signatures():
        yield signature["id"], regex
        if line_regex is not None:
            yield signature["id"] + ":line", line_regex
        for evidence, pattern in sorted(signature.get("cut", {}).items()):
            yield "%s:cut.%s" % (signature["id"], evidence), catalog.compiled_pattern(pattern)
        if signature.get("unless"):
            yield signature["id"] + ":unless", catalog.compiled_pattern(signature["unless"])
        for evidence in ("keras3Evidence", "keras3Frames"):
            if signature.get(evidence):
                yield "%s:%s" % (signature["id"], evidence), catalog.compiled_pattern(signature[evidence])
    for signature, prefix in catalog.compiled_prefix_signatures():
        yield signature["id"] + ":prefix", prefix
    for signature, lead in catalog.compiled_lead_signatures():
        yield signature["id"] + ":lead", lead
    for signature, phrase in catalog.compiled_keras3_phrases():
        yield signature["id"] + ":keras3Phrase", phrase
    if catalog.keras2_frame_files() is not None:
        yield "keras2FrameFiles", catalog.keras2_frame_files()


@pytest.mark.parametrize("name,regex", list(catalog_patterns()), ids=[name for name, _ in catalog_patterns()])
def test_catalog_regex_is_linear(name, regex):
    for fill in adversarial_fills(regex.pattern):
        ratio = growth(regex.search, fill, REGEX_SMALL, REGEX_LARGE)
        assert ratio <= MAX_GROWTH, "%s grows %.0fx from 50 KB to 500 KB of %r" % (name, ratio, fill[:60])


def test_near_match_walks_the_pattern():
    """The generator must produce text the regex nearly matches, or the test above proves nothing."""
    hits = sum(1 for _, regex in catalog_patterns() if regex.search(near_match(regex.pattern)))
    assert hits >= 0.8 * len(list(catalog_patterns()))


def test_a_quadratic_regex_is_caught():
    """The measurement can fail: an unbounded lazy gap after a repeated prefix is quadratic
    (measured at 2 KB vs 20 KB: at 1 MB it would run for hours)."""
    quadratic = re.compile(r"Received: (?:[\s\S]*?)filepath=(\S+)")
    assert growth(quadratic.search, "Received: ", 2_000, 20_000) > MAX_GROWTH


PASTE_FILLS = [
    "Traceback (most recent call last):\n",
    '  File "x.py", line 1, in <module>\n',
    "ValueError: Invalid filepath extension for saving. ",
    "(pid=1) 2024-01-01 00:00:00.1: E   > ",
    "\x1b[0;31m",
    "a" * 80 + "\n",
    "The above exception was the direct cause of the following exception:\n\n",
    "Exception encountered when calling Dense.call().\n\n",
    "ValueError\nTraceback (most recent call last)\n",
    '  File "/usr/lib/python3/site-packages/keras/engine/training.py", line 1\n',
    "x.py:1: UserWarning: Argument `decay` is no\n longer supported\n",
    # The environment's dates and Python (recognize.predates_keras3).
    "2023-05-19 13:13:06.132781: I tensorflow/core/util/port.cc:116] ",
    "2023-05-19 13:13:06.132781: I " + "tensorflow/" * 30,
    '  File "/usr/lib/python3.7/site-packages/x.py", line 1\n',
    # Messages cut by a title's ellipsis or by the paste's end (read as the start of Keras 3's words).
    "ValueError: Only instances of `keras.Layer` can be added to a Seque\u2026 ",
    "ValueError: Only input tensors may be passed as positional arguments. The following argument value "
    "should be passed as a keyword argument: 5",
    "Keras 3 only supports V3 `.keras` files and legacy H5 ",
    # A message's first sentence quoted alone, over and over (read as the message it starts).
    "Only instances of `keras.Layer` can be added to a Sequential model.\n",
]


@pytest.mark.parametrize("fill", PASTE_FILLS)
def test_explaining_pasted_text_is_linear(fill):
    assert growth(explain_text, fill) <= MAX_GROWTH


def test_explaining_a_huge_exception_is_linear():
    def diagnose(message):
        try:
            raise ValueError(message)
        except ValueError as error:
            return recognize_records(records_from_exception(error))

    for fill in ("Invalid filepath extension for saving. ", "The filepath provided must end in `.keras`", "a"):
        assert growth(diagnose, fill) <= MAX_GROWTH
