"""Run variants of the runnable corpus: the same programs as other people would write them.

    .venv/bin/python python_kernel_hooks/benchmarks/bench_variants.py [--styles notebook,tfkeras,...]
        [--count 24] [--seed 22] [--keep DIR] [bench_migrate options: --jobs 2 --backends jax,torch --cache F ...]

The product is measured on programs we never see, so a fix must not lean on how our corpus happens
to be written. Each style rewrites a .py program of examples/runnable/ without changing what it
does, and bench_migrate.py then runs the variants unchanged, after `fix` and after `fix --unsafe`
(no human column: the hand conversions are of the originals):

- notebook:   split into a notebook, one cell per blank-line-separated group of top-level statements
- tfkeras:    every `keras.X` / `layers.X` spelled `tf.keras.X` / `tf.keras.layers.X` (TF tutorial style)
- named:      `layers.Dense` / `keras.Model` imported by name (`from tensorflow.keras.layers import Dense`)
- standalone: Keras 2.x standalone imports (`import keras`, `from keras import layers`)
- renamed:    module-level variables and functions renamed (model -> v3), so no rule leans on names
- wrapped:    runs of top-level statements moved into functions that declare their names global
- guarded:    script code (all but imports, definitions, docstrings, constants) under `if __name__ == "__main__":`
- main:       script code in `def main():` called under the guard; definitions that read the script's
              names move into main() with it (closures), the others stay at module level

Only programs whose `fix --unsafe` output the corpus cache (--cache) says ran on JAX and PyTorch are
picked when a cache is given, so every failure is a variant the tool handles worse than the original.
Session 22 found with it: notebooks fixed cell by cell (19 and 20 of 30 ran on JAX and PyTorch; the
CLI now reads a notebook as one program: 30 of 30), integer shapes given through parameters, and
TextVectorization made inside functions.
"""

from __future__ import annotations

import argparse
import ast
import builtins
import json
import random
import re
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import bench_migrate  # noqa: E402

STYLES = ("notebook", "tfkeras", "named", "standalone", "renamed", "wrapped", "guarded", "main")


class NotApplicable(Exception):
    """The style does not apply to this program (a name it rewrites is shadowed, or nothing changes)."""


def _imported(tree: ast.Module) -> dict[str, tuple[str, str]]:
    out = {}
    for node in tree.body:
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == "keras":
                    out[alias.asname or "keras"] = ("tensorflow", "keras")
        if isinstance(node, ast.ImportFrom) and node.module in ("tensorflow", "tensorflow.keras", "keras"):
            for alias in node.names:
                out[alias.asname or alias.name] = (node.module, alias.name)
    return out


def _bound(tree: ast.AST) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            names.add(node.id)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
    return names


def _aliases(tree: ast.Module) -> tuple[str, str | None]:
    imports = _imported(tree)
    keras_alias = next((k for k, v in imports.items() if v == ("tensorflow", "keras")), None)
    layers_alias = next((k for k, v in imports.items() if v[1] == "layers" and v[0] in ("tensorflow.keras", "keras")), None)
    bound = _bound(tree)
    if keras_alias is None or keras_alias in bound or (layers_alias and layers_alias in bound):
        raise NotApplicable("keras is not imported as keras.io does, or its name is rebound")
    return keras_alias, layers_alias


def tfkeras(source: str) -> str:
    tree = ast.parse(source)
    keras_alias, layers_alias = _aliases(tree)
    if "tf" in _bound(tree):
        raise NotApplicable("tf is rebound")
    spelled = {keras_alias: ("keras",), **({layers_alias: ("keras", "layers")} if layers_alias else {})}

    class Respell(ast.NodeTransformer):
        changed = 0

        def visit_Name(self, node):
            if isinstance(node.ctx, ast.Load) and node.id in spelled:
                self.changed += 1
                value: ast.expr = ast.Name("tf", ast.Load())
                for part in spelled[node.id]:
                    value = ast.Attribute(value, part, ast.Load())
                return ast.copy_location(value, node)
            return node

    tree.body = [n for n in tree.body if not (isinstance(n, ast.ImportFrom) and n.module in ("tensorflow", "tensorflow.keras")
                                              and all((a.asname or a.name) in spelled for a in n.names))]
    respell = Respell()
    tree = respell.visit(tree)
    if not respell.changed:
        raise NotApplicable("nothing spelled through keras")
    if not any(isinstance(n, ast.Import) and any(a.name == "tensorflow" and a.asname == "tf" for a in n.names) for n in tree.body):
        tree.body.insert(0, ast.Import([ast.alias("tensorflow", "tf")]))
    return ast.unparse(ast.fix_missing_locations(tree)) + "\n"


def named(source: str) -> str:
    tree = ast.parse(source)
    keras_alias, layers_alias = _aliases(tree)
    taken = _bound(tree) | {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)} | set(_imported(tree))
    package = "keras" if any(isinstance(n, ast.Import) and any(a.name == "keras" for a in n.names) for n in tree.body) else "tensorflow.keras"
    layer_names: set[str] = set()
    model_names: set[str] = set()

    class ByName(ast.NodeTransformer):
        def visit_Attribute(self, node):
            self.generic_visit(node)
            if isinstance(node.value, ast.Name) and isinstance(node.ctx, ast.Load) and node.attr[:1].isupper() and node.attr not in taken:
                if node.value.id == layers_alias or (node.value.id == keras_alias and node.attr == "Input"):
                    layer_names.add(node.attr)
                    return ast.copy_location(ast.Name(node.attr, ast.Load()), node)
                if node.value.id == keras_alias and node.attr in ("Model", "Sequential"):
                    model_names.add(node.attr)
                    return ast.copy_location(ast.Name(node.attr, ast.Load()), node)
            return node

    tree = ByName().visit(tree)
    if not layer_names and not model_names:
        raise NotApplicable("no layer or model spelled through a module")
    new = [ast.ImportFrom(f"{package}.{module}", [ast.alias(n) for n in sorted(names)], 0)
           for module, names in (("layers", layer_names), ("models", model_names)) if names]
    # After the leading imports (a later import, mid-script, would come after the first uses).
    at = 0
    for i, n in enumerate(tree.body):
        if isinstance(n, (ast.Import, ast.ImportFrom)) or (i == 0 and isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant)):
            at = i + 1
        else:
            break
    tree.body[at:at] = new
    return ast.unparse(ast.fix_missing_locations(tree)) + "\n"


def standalone(source: str) -> str:
    text = re.sub(r"^from tensorflow import keras\s*$", "import keras", source, flags=re.M)
    text = re.sub(r"^from tensorflow\.keras(\.[\w.]+)? import", lambda m: f"from keras{m.group(1) or ''} import", text, flags=re.M)
    if text == source:
        raise NotApplicable("no tensorflow.keras import")
    return text


def renamed(source: str) -> str:
    tree = ast.parse(source)
    module_names, functions = set(), set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            functions.add(node.name)
        if not isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            module_names |= {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    # Imports, classes (serialization keys by class name) and globals declared in functions stay.
    kept = set(dir(builtins))
    for n in ast.walk(tree):
        if isinstance(n, (ast.Global, ast.Nonlocal)):
            kept.update(n.names)
        elif isinstance(n, ast.alias):
            kept.add(n.asname or n.name.split(".")[0])
        elif isinstance(n, ast.ClassDef):
            kept.add(n.name)
        elif isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id in ("locals", "globals", "eval", "exec"):
            raise NotApplicable("reads names dynamically")
    mapping = {name: ("f" if name in functions else "v") + str(i)
               for i, name in enumerate(sorted((module_names | functions) - kept)) if not name.startswith("__")}
    if len(mapping) < 3:
        raise NotApplicable("few module-level names")

    def locals_of(fn) -> set[str]:
        names = {a.arg for a in ast.walk(fn.args) if isinstance(a, ast.arg)}
        for n in ast.walk(fn):
            if n is fn:
                continue
            if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store):
                names.add(n.id)
            elif isinstance(n, (ast.FunctionDef, ast.ClassDef)):
                names.add(n.name)
            elif isinstance(n, ast.arg):
                names.add(n.arg)
        return names

    class Rename(ast.NodeTransformer):
        """Renames module-level names where they are read or bound, never a function's own local of the same name."""

        def __init__(self):
            self.scopes: list[set[str]] = [set()]

        def visit_Name(self, node):
            if node.id in mapping and not any(node.id in s for s in self.scopes[1:]):
                node.id = mapping[node.id]
            return node

        def visit_FunctionDef(self, node):
            if len(self.scopes) == 1 and node.name in mapping:
                node.name = mapping[node.name]
            # Defaults and decorators are read in the enclosing scope.
            for expr in node.args.defaults + node.args.kw_defaults + node.decorator_list:
                if expr is not None:
                    self.visit(expr)
            self.scopes.append(locals_of(node))
            for stmt in node.body:
                self.visit(stmt)
            self.scopes.pop()
            return node

        def visit_Lambda(self, node):
            self.scopes.append({a.arg for a in ast.walk(node.args) if isinstance(a, ast.arg)})
            self.visit(node.body)
            self.scopes.pop()
            return node

        def _comprehension(self, node):
            self.visit(node.generators[0].iter)
            self.scopes.append({n.id for g in node.generators for n in ast.walk(g.target) if isinstance(n, ast.Name)})
            for g in node.generators:
                if g is not node.generators[0]:
                    self.visit(g.iter)
                for cond in g.ifs:
                    self.visit(cond)
            for part in ("elt", "key", "value"):
                if hasattr(node, part):
                    self.visit(getattr(node, part))
            self.scopes.pop()
            return node

        visit_ListComp = visit_SetComp = visit_GeneratorExp = visit_DictComp = _comprehension

    return ast.unparse(Rename().visit(tree)) + "\n"


def wrapped(source: str) -> str:
    tree = ast.parse(source)
    body: list[ast.stmt] = []
    run: list[ast.stmt] = []
    count = 0

    def assigned(stmts) -> list[str]:
        names = set()
        for s in stmts:
            for n in ast.walk(s):
                if isinstance(n, ast.Name) and isinstance(n.ctx, (ast.Store, ast.Del)):
                    names.add(n.id)
                elif isinstance(n, ast.alias):
                    names.add(n.asname or n.name.split(".")[0])
                elif isinstance(n, (ast.FunctionDef, ast.ClassDef)):
                    names.add(n.name)
                elif isinstance(n, ast.ExceptHandler) and n.name:
                    names.add(n.name)
        return sorted(names)

    def flush():
        nonlocal run, count
        if run and not all(isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant) for s in run):
            count += 1
            names = assigned(run)
            fn = ast.FunctionDef(f"step_{count}", ast.arguments([], [], None, [], [], None, []),
                                 ([ast.Global(names)] if names else []) + run, [], None, None)
            body.extend([fn, ast.Expr(ast.Call(ast.Name(f"step_{count}", ast.Load()), [], []))])
        else:
            body.extend(run)
        run = []

    for stmt in tree.body:
        if isinstance(stmt, (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            flush()
            body.append(stmt)
        else:
            run.append(stmt)
    flush()
    if not count:
        raise NotApplicable("no top-level statements to wrap")
    tree.body = body
    return ast.unparse(ast.fix_missing_locations(tree)) + "\n"


def guarded(source: str) -> str:
    """Script code (everything but imports, definitions, docstrings and constants) under `if __name__ == "__main__":`."""
    tree = ast.parse(source)

    def constant(node) -> bool:
        # `RESIZE_TO = 32`, `SHAPE = (28, 28, 1)`: definitions read them at def time (defaults, class bodies).
        return isinstance(node, ast.Constant) or (isinstance(node, (ast.Tuple, ast.List)) and all(map(constant, node.elts)))

    head = [s for s in tree.body if isinstance(s, (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
            or (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))
            or (isinstance(s, ast.Assign) and all(isinstance(t, ast.Name) for t in s.targets) and constant(s.value))]
    run = [s for s in tree.body if not any(s is h for h in head)]
    if not run:
        raise NotApplicable("no script code to guard")
    condition = ast.Compare(ast.Name("__name__", ast.Load()), [ast.Eq()], [ast.Constant("__main__")])
    tree.body = head + [ast.If(condition, run, [])]
    return ast.unparse(ast.fix_missing_locations(tree)) + "\n"


def main_function(source: str) -> str:
    """Script code in a `main()` function: its names become locals, read by nested definitions as closures."""
    tree = ast.parse(source)
    if any(isinstance(n, (ast.Global, ast.Nonlocal)) for n in ast.walk(tree)):
        raise NotApplicable("global declarations would change meaning")
    definitions = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
    docstring = [s for s in tree.body[:1] if isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant)]
    imports = [s for s in tree.body if isinstance(s, (ast.Import, ast.ImportFrom))]
    rest = [s for s in tree.body if not any(s is k for k in docstring + imports)]
    script_names = set(_bound(ast.Module([s for s in rest if not isinstance(s, definitions)], [])))
    # A definition reading (or decorated/defaulted with) a script name, or another nested one, must be nested.
    nested: set[int] = set()
    changed = True
    while changed:
        changed = False
        nested_names = {s.name for s in rest if id(s) in nested}
        for s in rest:
            if isinstance(s, definitions) and id(s) not in nested:
                read = {n.id for n in ast.walk(s) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
                if read & (script_names | nested_names):
                    nested.add(id(s))
                    changed = True
    kept = [s for s in rest if isinstance(s, definitions) and id(s) not in nested]
    body = [s for s in rest if not (isinstance(s, definitions) and id(s) not in nested)]
    if not body:
        raise NotApplicable("no script code")
    # Names the script rebinds after a nested function reads them would need `nonlocal`: keep it simple, skip.
    for s in body:
        if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for n in ast.walk(s):
                if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store) and n.id in script_names and n is not s:
                    raise NotApplicable("a nested function assigns a script name")
    main = ast.FunctionDef("main", ast.arguments([], [], None, [], [], None, []), body, [], None, None)
    condition = ast.Compare(ast.Name("__name__", ast.Load()), [ast.Eq()], [ast.Constant("__main__")])
    call = ast.If(condition, [ast.Expr(ast.Call(ast.Name("main", ast.Load()), [], []))], [])
    tree.body = docstring + imports + kept + [main, call]
    return ast.unparse(ast.fix_missing_locations(tree)) + "\n"


def notebook(source: str) -> str:
    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    cells, current, previous_end = [], [], 0
    for node in tree.body:
        start = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])]) - 1
        gap = "".join(lines[previous_end:start])
        if current and (isinstance(node, (ast.FunctionDef, ast.ClassDef)) or (gap and not gap.strip())):
            cells.append(current)
            current = []
        current.extend(lines[previous_end:node.end_lineno])
        previous_end = node.end_lineno
    current.extend(lines[previous_end:])
    cells.append(current)
    if len(cells) < 2:
        raise NotApplicable("one cell")
    nb = {"nbformat": 4, "nbformat_minor": 5,
          "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
          "cells": [{"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [], "id": f"c{i}",
                     "source": "".join(c).strip("\n")} for i, c in enumerate(cells) if "".join(c).strip()]}
    return json.dumps(nb, indent=1) + "\n"


REWRITE = {"tfkeras": tfkeras, "named": named, "standalone": standalone, "renamed": renamed, "wrapped": wrapped, "notebook": notebook,
           "guarded": guarded, "main": main_function}


def runs_after_unsafe(names: list[Path], cache: Path) -> set[str]:
    """The programs whose `fix --unsafe` output the cache says ran on JAX and PyTorch."""
    results = bench_migrate.cached_results(cache)
    with tempfile.TemporaryDirectory() as scratch:
        table, _ = bench_migrate.prepare(names, Path(scratch), variants=("unsafe",))
    return {n for n, row in table.items()
            if all((r := results.get((row["unsafe"][1], b))) is not None and r.ok for b in ("jax", "torch"))}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--styles", default=",".join(STYLES))
    parser.add_argument("--count", type=int, default=24, help="variants per style")
    parser.add_argument("--seed", type=int, default=22)
    parser.add_argument("--keep", type=Path, help="write the variant corpus here and keep it")
    args, rest = parser.parse_known_args(argv)
    styles = [s for s in args.styles.split(",") if s]
    unknown = [s for s in styles if s not in REWRITE]
    if unknown:
        raise SystemExit(f"unknown style {', '.join(unknown)} (styles: {', '.join(STYLES)})")
    originals = [p for p in bench_migrate.programs() if p.suffix == ".py"]
    cache = rest[rest.index("--cache") + 1] if "--cache" in rest else None
    if cache:
        good = runs_after_unsafe(originals, Path(cache))
        originals = [p for p in originals if p.name in good]
    manifest = bench_migrate.load_manifest()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="km-variants-"))
    folder.mkdir(parents=True, exist_ok=True)
    variants = {}
    for style in styles:
        picked = originals[:]
        random.Random(f"{args.seed}:{style}").shuffle(picked)
        made = 0
        for program in picked:
            if made >= args.count:
                break
            try:
                text = REWRITE[style](program.read_text(encoding="utf-8"))
            except (NotApplicable, SyntaxError):
                continue
            name = f"{program.stem}__{style}{'.ipynb' if style == 'notebook' else '.py'}"
            (folder / name).write_text(text, encoding="utf-8")
            variants[name] = manifest["programs"].get(program.name, {})
            made += 1
    (folder / "manifest.json").write_text(json.dumps({"programs": variants}, indent=1) + "\n", encoding="utf-8")
    print(f"{len(variants)} variants in {folder}", flush=True)
    return bench_migrate.main(["--corpus", str(folder), "--no-human", *rest])


if __name__ == "__main__":
    sys.exit(main())
