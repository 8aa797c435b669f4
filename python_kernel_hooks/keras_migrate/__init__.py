"""jupyterlab-keras-migrate: Keras 2 -> Keras 3 migration help for Jupyter.

This module is imported in every kernel that loads the IPython extension, so it
must stay cheap: it imports nothing heavy (no keras, tensorflow, jax, torch,
jupyter_server) at module level. Everything is reached lazily.
"""

try:
    from ._version import __version__
except ImportError:  # a source checkout that was never built
    __version__ = "0.0.0.dev0"


def check(paths, **options):
    """Static findings for .py/.ipynb files and folders (see `keras_migrate.analyser.check`)."""
    from .analyser import check as _check

    return _check(paths, **options)


def fix(paths, **options):
    """Apply (or with diff=True, compute) fixes; the report (see `keras_migrate.analyser.fix`)."""
    from .analyser import fix as _fix

    return _fix(paths, **options)


def load_ipython_extension(ipython):
    """`%load_ext keras_migrate`: attach the migration diagnosis hook."""
    from .hook import load_ipython_extension as _load

    _load(ipython)


def unload_ipython_extension(ipython):
    """`%unload_ext keras_migrate`: restore everything the hook changed."""
    from .hook import unload_ipython_extension as _unload

    _unload(ipython)


def _jupyter_labextension_paths():
    return [{"src": "labextension", "dest": "jupyterlab-keras-migrate"}]


def _jupyter_server_extension_points():
    return [{"module": "keras_migrate.server"}]


def _load_jupyter_server_extension(server_app):
    from .server import _load_jupyter_server_extension as _load

    _load(server_app)
