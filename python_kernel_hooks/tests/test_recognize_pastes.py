"""The recognizer on tracebacks people pasted in public issue threads.

pastes/*.txt are excerpts of real pastes (trimmed to the traceback), with their
source URLs and the expected answer in pastes/SOURCES.tsv ("-" for errors that
are not Keras 3 migration problems: they must get no diagnosis; a label open to
argument says DEBATABLE in its note). Each paste is also mangled the ways
pasting mangles text, and must keep its answer. Pastes the recognizer still
gets wrong say why in `known_miss`: they are expected to fail (strictly, so a
fix shows up), and they count in the reported rate.
benchmarks/bench_pastes.py prints the same rate with the misses listed.
"""

import csv
import os
import re
import textwrap

import pytest

from keras_migrate.recognize import explain_all, explain_text, predates_keras3, raised_by_keras2, records_from_text

PASTES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pastes")


def rows():
    with open(os.path.join(PASTES, "SOURCES.tsv"), encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def read(name):
    with open(os.path.join(PASTES, name), encoding="utf-8") as handle:
        return handle.read()


def exception_line(text):
    """The exception (or warning) line and what follows it (the message may go on), as one line; None without one."""
    lines = text.strip().splitlines()
    starts = [i for i, line in enumerate(lines) if re.search(r"\b(?:\w+\.)*\w+(?:Error|Exception|Warning): ", line)]
    if not starts:
        return None
    return " ".join(line.strip() for line in lines[starts[-1]:starts[-1] + 8])


def quoted_in_prose(text):
    line = exception_line(text)
    if line is None:
        pytest.skip("the paste has no exception line to quote")
    if raised_by_keras2(records_from_text(text)) or predates_keras3(text):
        pytest.skip("the frames (or the paste's dates and Python) say Keras 2 raised it: the quoted line alone cannot")
    return "Hi! When I run my notebook I get `%s` and I do not know why." % line


def typographic(text):
    out, opening = [], True
    for char in text:
        if char == "'":
            out.append("\u2018" if opening else "\u2019")
            opening = not opening
        elif char == '"':
            out.append("\u201c" if opening else "\u201d")
            opening = not opening
        else:
            out.append(char)
    return "".join(out)


VARIANTS = {
    "as pasted": lambda text: text,
    "wrapped at spaces": lambda text: "\n".join(
        "\n".join(textwrap.wrap(line, 50, break_long_words=False, break_on_hyphens=False)) or line for line in text.splitlines()
    ),
    "wrapped inside words": lambda text: "\n".join(
        "\n".join(line[i:i + 60] for i in range(0, len(line), 60)) or line for line in text.splitlines()
    ),
    "backticks lost": lambda text: text.replace("`", ""),
    "typographic quotes": typographic,
    "ray log prefix": lambda text: "\n".join("(RayTrainWorker pid=4242) " + line for line in text.splitlines()),
    "timestamped log": lambda text: "\n".join("2024-05-01 10:11:12,345 - " + line for line in text.splitlines()),
    "pytest failure": lambda text: "\n".join("E   " + line for line in text.splitlines()),
    "coloured": lambda text: re.sub(r"^(\w+(?:Error|Exception))", "\x1b[0;31m\\1\x1b[0m", text, flags=re.M),
    "colour codes without ESC": lambda text: re.sub(r"^(\w+(?:Error|Exception))", "[0;31m\\1[0m", text, flags=re.M),
    "quoted in prose": quoted_in_prose,
}

def answered_rows():
    """The pastes the recognizer is expected to answer right."""
    return [row for row in rows() if not row["known_miss"]]


# A variant a paste cannot survive is listed in `unsupported_variants` (a known weakness, said in
# the report): a VS Code error JSON wrapped inside words loses its tab-indented "message" line.
CASES = [
    (row["paste"], row["expected_guide"], variant)
    for row in answered_rows()
    for variant in VARIANTS
    if variant not in (row["unsupported_variants"] or "").split(",")
]


def labelled(row):
    marks = [pytest.mark.xfail(reason=row["known_miss"], strict=True)] if row["known_miss"] else []
    return pytest.param(row, id=row["paste"], marks=marks)


@pytest.mark.parametrize("row", [labelled(row) for row in rows()])
def test_paste_gets_its_diagnosis(row):
    diagnosis = explain_text(read(row["paste"]))
    assert (diagnosis["signature"] or "-") == row["expected_signature"]


def test_recognition_rate_on_collected_pastes(record_property, capsys):
    """The rate the issue asks for: migration pastes that get their guide section, and false alarms."""
    migration = [row for row in rows() if row["expected_guide"] != "-"]
    other = [row for row in rows() if row["expected_guide"] == "-"]
    recognised = [row for row in migration if explain_text(read(row["paste"]))["guide"] == row["expected_guide"]]
    false_alarms = [row for row in other if explain_text(read(row["paste"]))["guide"] is not None]
    rate = len(recognised) / len(migration)
    record_property("recognition_rate", rate)
    with capsys.disabled():
        print("\nrecognised %d of %d migration pastes (%.1f%%); %d false alarms on %d other errors"
              % (len(recognised), len(migration), 100 * rate, len(false_alarms), len(other)))
    assert len(migration) >= 60 and len(other) >= 15
    # Every miss and false alarm is one of the pastes labelled as a known miss.
    missed = {row["paste"] for row in migration if row not in recognised} | {row["paste"] for row in false_alarms}
    assert missed == {row["paste"] for row in rows() if row["known_miss"]}


@pytest.mark.parametrize("paste,expected,variant", CASES, ids=["%s-%s" % (p, v.replace(" ", "_")) for p, _, v in CASES])
def test_paste_is_recognised_however_it_was_pasted(paste, expected, variant):
    """Mangled pastes keep their guide section (a frame-dependent signature may give way to a broader one)."""
    text = VARIANTS[variant](read(paste))
    diagnosis = explain_text(text)
    assert (diagnosis["guide"] or "-") == expected, (variant, diagnosis["signature"], text[:300])


def test_every_source_is_a_public_issue_thread():
    for row in rows():
        assert re.match(r"^https://github\.com/[\w.-]+/[\w.-]+/(issues|pull)/\d+$", row["source_url"]), row
        assert os.path.exists(os.path.join(PASTES, row["paste"]))


def test_all_pastes_in_one_text_are_each_answered():
    items = answered_rows()
    text = "\n\n".join(read(row["paste"]) for row in items if read(row["paste"]).lstrip().startswith(("Traceback (most recent call last)", "---")))
    answers = [d["signature"] or "-" for d in explain_all(text)]
    expected = [row["expected_signature"] for row in items if read(row["paste"]).lstrip().startswith(("Traceback (most recent call last)", "---"))]
    assert answers == expected


def test_a_traceback_cut_before_its_exception_line_is_reported_incomplete():
    text = read("tfa_engine_script.txt").rsplit("ModuleNotFoundError", 1)[0]
    diagnosis = explain_text(text)
    assert diagnosis["guide"] is None and diagnosis["incomplete"] is True
    assert diagnosis["file"].endswith("ops.py") and diagnosis["line"] == 12


def test_library_source_in_frames_is_not_read_as_the_message():
    """The Colab paste shows Keras's own `raise ValueError("Only instances of keras.Layer ...")` source."""
    text = read("hub_keraslayer_colab.txt").rsplit("ValueError: Only", 1)[0]
    diagnosis = explain_text(text)
    assert diagnosis["guide"] is None and diagnosis["incomplete"] is True
    assert diagnosis["exception_type"] == "ValueError"  # from IPython's header line


def test_editor_links_in_a_vscode_traceback_are_read_as_ipython_prints_them():
    """VS Code wraps file names and line numbers in Markdown links ("Cell In[19], [line 1](vscode-notebook-cell:...)",
    "----> [1](vscode-notebook-cell:...) model.save(...)"): the cell line is still found."""
    diagnosis = explain_text(read("save_no_extension_vscode_cut.txt"))
    assert (diagnosis["cell"], diagnosis["line"], diagnosis["cell_line_text"]) == (19, 1, 'model.save("tfmodel")')


def test_cell_headers_of_ipython_8_0_and_old_vscode_are_read_as_cells():
    """IPython 8.0-8.4 printed "Input In [7], in <cell line: 7>()" and VS Code's Jupyter extension (2022-2023)
    "/path/nb.ipynb Cell 40 line 1": the cell and the line the user ran are still found."""
    vscode = explain_text(read("save_dir_sagemaker_vscode_cut.txt"))
    assert (vscode["cell"], vscode["line"], vscode["cell_line_text"]) == (40, 1, "model.save('model' + '/1')")
    ipython8 = explain_text(read("not_migration_keras_shape_kerastensor_ipython_input_2022.txt"))
    assert (ipython8["cell"], ipython8["line"], ipython8["cell_line_text"]) == (
        1, 19, "channel = input_feature._keras_shape[channel_axis]")


def test_a_traceback_flattened_onto_one_line_starts_a_traceback_of_its_own():
    """An issue title holding a whole traceback on one line ("Traceback (most recent call last):   File ...")
    after another paste is a second traceback, not more lines of the first."""
    first = read("not_migration_keras_src_dtype_policies_mismatched_install_kaggle.txt")
    flat = read("not_migration_to_categorical_one_line_title_2022.txt")
    assert len(explain_all(first + "\n\n" + flat)) == 2


def test_a_paste_from_before_keras_3_gets_no_card():
    """Keras 2.13-2.15 raise "No module named 'keras.engine'" as Keras 3 does; a TensorFlow log line dated
    before Keras 3.0's first release (2023-11-28), or paths in a Python older than Keras 3 needs (3.9),
    say Keras 2 raised it. Without that evidence, or with one environment new enough, the card stays."""
    dated = read("not_migration_keras_engine_data_adapter_tf213rc0.txt")
    assert "2023-05-19 13:13:06" in dated
    assert explain_text(dated)["guide"] is None
    assert explain_text(dated.replace("2023-05-19 13:13:06", "2024-05-19 13:13:06"))["signature"] == "keras-engine-import"
    undated = "\n".join(line for line in dated.splitlines() if "2023-05-19" not in line)
    assert explain_text(undated)["signature"] == "keras-engine-import"
    newer_too = dated + "\n2024-03-08 10:00:00.000001: I tensorflow/core/util/port.cc:113] oneDNN custom operations are on.\n"
    assert explain_text(newer_too)["signature"] == "keras-engine-import"

    kaggle = read("keras_engine_acetone_kaggle.txt")
    assert "/python3.11/" in kaggle and explain_text(kaggle)["signature"] == "keras-engine-import"
    assert explain_text(kaggle.replace("/python3.11/", "/python3.7/"))["guide"] is None
    windows = kaggle.replace("/usr/local/lib/python3.11/", "C:\\Python38\\Lib\\")
    assert "Python38" in windows and explain_text(windows)["guide"] is None
    assert explain_text(windows.replace("Python38", "Python310"))["signature"] == "keras-engine-import"
