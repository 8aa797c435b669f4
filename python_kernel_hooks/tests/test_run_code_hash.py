"""The run job's code hash: what the sidebar compares with the open notebook's code cells.

The expected hex digest is the same constant src/__tests__/frontend/freshness.test.ts
checks for the TypeScript side, so both hash the same way.
"""

import nbformat

from keras_migrate.runner.server import code_cells_sha256

# SHA-256 of "import keras\0x = \"é\"  # ü": the code cells joined by NUL, UTF-8.
EXPECTED = "7c526706c46f3b412785a8124fb441da373e27ed57e7bc7782d75782272ecca0"


def write(path, cells):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = cells
    nbformat.write(notebook, str(path))
    return path


def test_hash_counts_only_code_cell_sources(tmp_path):
    plain = write(tmp_path / "a.ipynb", [nbformat.v4.new_code_cell("import keras"), nbformat.v4.new_code_cell('x = "é"  # ü')])
    assert code_cells_sha256(plain) == EXPECTED
    # Markdown, outputs and metadata do not change it.
    output = nbformat.v4.new_output("stream", text="hi")
    other = write(
        tmp_path / "b.ipynb",
        [
            nbformat.v4.new_markdown_cell("# title"),
            nbformat.v4.new_code_cell("import keras", outputs=[output], execution_count=3),
            nbformat.v4.new_code_cell('x = "é"  # ü', metadata={"tags": ["x"]}),
        ],
    )
    assert code_cells_sha256(other) == EXPECTED
    # A changed code cell does.
    changed = write(tmp_path / "c.ipynb", [nbformat.v4.new_code_cell("import keras"), nbformat.v4.new_code_cell("x = 2")])
    assert code_cells_sha256(changed) != EXPECTED


def test_source_as_list_of_lines_and_unreadable_files(tmp_path):
    lines = tmp_path / "lines.ipynb"
    lines.write_text(
        '{"cells": [{"cell_type": "code", "source": ["import keras"]},'
        ' {"cell_type": "code", "source": ["x = \\"é\\"  ", "# ü"]}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}',
        encoding="utf-8",
    )
    assert code_cells_sha256(lines) == EXPECTED
    broken = tmp_path / "broken.ipynb"
    broken.write_text("{not json", encoding="utf-8")
    assert code_cells_sha256(broken) is None
    assert code_cells_sha256(tmp_path / "missing.ipynb") is None
