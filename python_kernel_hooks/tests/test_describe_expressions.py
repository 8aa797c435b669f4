"""The user expressions the sidebar sends to a kernel (src/backend/service.ts) never import
Keras behind the user's back, even when a cell has defined its own ``__import__``.

The expressions are read from the TypeScript source, so this tests what the browser sends,
and evaluated in a fresh interpreter, so ``sys.modules`` starts without Keras.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from keras_migrate import catalog

SERVICE_TS = Path(__file__).resolve().parents[2] / "src" / "backend" / "service.ts"


def _expressions() -> dict[str, str]:
    source = SERVICE_TS.read_text()
    builtin_import = re.search(r'const BUILTIN_IMPORT =\s*"(.*?)";', source).group(1)
    describe = re.search(r"return \(\s*`(.*?)` \+\s*`(.*?)`\s*\);", source, re.S)
    primary = (describe.group(1) + describe.group(2)).replace("${BUILTIN_IMPORT}", builtin_import)
    primary = re.sub(r"\$\{importKeras \? 'True' : 'False'\}", "False", primary)
    fallback_source = re.search(r"export const FALLBACK_EXPRESSION =(.*?);\n", source, re.S).group(1)
    fallback = "".join(re.findall(r"`(.*?)`", fallback_source, re.S)).replace("${BUILTIN_IMPORT}", builtin_import)
    fallback = fallback.replace("${BACKEND_ENV_VAR}", catalog.backend_settings()["environmentVariable"])
    assert "${" not in primary + fallback
    return {"primary": primary, "fallback": fallback}


# A cell's own __import__ that returns the submodule (importlib's way), not the package.
PROGRAM = """
import builtins, importlib, json, sys
expression = sys.argv[1]
namespace = {"__builtins__": builtins, "__import__": lambda name, *a, **k: importlib.import_module(name)}
report = json.loads(eval(expression, namespace))
print(json.dumps({"report": report, "keras_imported_now": "keras" in sys.modules}))
"""


def _evaluate(expression: str) -> dict:
    completed = subprocess.run(
        [sys.executable, "-c", PROGRAM, expression], capture_output=True, text=True, timeout=120, check=True
    )
    return json.loads(completed.stdout.strip().splitlines()[-1])


def test_the_report_ignores_a_user_defined_import_and_does_not_import_keras():
    result = _evaluate(_expressions()["primary"])
    assert result["keras_imported_now"] is False
    assert result["report"]["keras_imported"] is False
    assert "backends" in result["report"] and result["report"]["backend"]


def test_the_fallback_for_kernels_without_keras_migrate_does_not_import_keras():
    result = _evaluate(_expressions()["fallback"])
    assert result["keras_imported_now"] is False
    assert result["report"]["keras_imported"] is False
    assert result["report"]["keras_version"] is None
