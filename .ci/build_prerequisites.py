"""Hatch build hook: say clearly what a source build needs before the npm build starts.

A wheel needs the labextension and the analyser bundle. An sdist carries them, so it
builds anywhere; a clean checkout has to build them with Node and JupyterLab's `jlpm`.
Without those, hatch-jupyter-builder would stop with a bare "command not found"
traceback; this hook stops first and says what to install (or to use the prebuilt wheel).
"""

import os
import shutil

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

BUILT = (
    "python_kernel_hooks/keras_migrate/labextension/static/style.js",
    "python_kernel_hooks/keras_migrate/_cli/keras-migrate.cjs",
)


class BuildPrerequisites(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version, build_data):
        if self.target_name != "wheel" or os.environ.get("SKIP_JUPYTER_BUILDER"):
            return
        missing = [path for path in BUILT if not os.path.isfile(os.path.join(self.root, path))]
        if not missing:
            return
        tools = [name for name in ("node", "jlpm") if shutil.which(name) is None]
        if tools:
            raise RuntimeError(
                "jupyterlab-keras-migrate: building from a source checkout needs %s on PATH to build the "
                "JupyterLab extension and the keras-migrate analyser (%s not built yet). Install Node.js >= 18 "
                "and JupyterLab (which provides jlpm), or run `bash .ci/setup`, or install the prebuilt "
                "package instead: pip install jupyterlab-keras-migrate" % (" and ".join(tools), ", ".join(missing))
            )
