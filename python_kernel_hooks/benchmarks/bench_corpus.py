"""A benchmark set of N notebooks made from the real tf.keras notebooks in ../shared/corpus.

    make_corpus(dest, count=500) -> list of paths

Each copy varies its source so that no two files are byte-identical (a cache keyed
on content would otherwise make the numbers meaningless): every code cell gets a
comment naming the copy, a few identifiers get a per-copy suffix, and every
seventh copy has its code cells doubled (a longer notebook). The set is written
to a temporary folder and never committed.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# ../shared beside the repository (CI); a git worktree one level deeper finds it one further up.
SHARED_CORPUS = next(
    (p / "shared" / "corpus" for p in (ROOT.parent, ROOT.parent.parent) if (p / "shared" / "corpus").is_dir()),
    ROOT.parent / "shared" / "corpus",
)
_RENAMED = re.compile(r"\b(model|history|inputs|outputs|dataset|optimizer)\b")


def _vary(source: str, copy: int) -> str:
    renamed = _RENAMED.sub(lambda m: f"{m.group(1)}_{copy}", source)
    return f"# benchmark copy {copy}\n{renamed}"


def make_corpus(dest: Path, count: int = 500) -> list[Path]:
    bases = sorted(SHARED_CORPUS.glob("*.ipynb"))
    if not bases:
        raise SystemExit(f"no notebooks in {SHARED_CORPUS}")
    dest.mkdir(parents=True, exist_ok=True)
    paths = []
    for copy in range(count):
        base = bases[copy % len(bases)]
        notebook = json.loads(base.read_text(encoding="utf-8"))
        # As Jupyter saves them: ruff skips a notebook whose metadata names no language.
        notebook.setdefault("metadata", {}).setdefault("language_info", {"name": "python"})
        cells = notebook.get("cells", [])
        for cell in cells:
            if cell.get("cell_type") == "code":
                source = cell["source"]
                text = "".join(source) if isinstance(source, list) else source
                cell["source"] = _vary(text, copy)
        if copy % 7 == 6:
            cells.extend(json.loads(json.dumps([c for c in cells if c.get("cell_type") == "code"])))
        path = dest / f"nb{copy:03d}_{base.name}"
        path.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


if __name__ == "__main__":
    import sys

    out = Path(sys.argv[1])
    made = make_corpus(out, int(sys.argv[2]) if len(sys.argv) > 2 else 500)
    print(f"{len(made)} notebooks in {out}")
