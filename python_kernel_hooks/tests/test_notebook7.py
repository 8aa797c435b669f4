"""Jupyter Notebook 7 serves the extension (a smoke check without a browser).

The page a Notebook 7 user opens lists this labextension among the federated
extensions it loads, its remote entry is served, and none of its plugins is
disabled there. (The plugins themselves do not require JupyterLab-only services:
the status bar and the lab shell are optional, and the findings count is a
notebook toolbar item where there is no status bar.)
"""

import json
import os
import re

import pytest

from conftest import HOOK_SOURCE_DIR
from test_server_support import JupyterServer

pytest.importorskip("notebook")
pytestmark = pytest.mark.timeout(300)

EXTENSION = "jupyterlab-keras-migrate"


def page_config(html):
    match = re.search(r'<script id="jupyter-config-data" type="application/json">(.*?)</script>', html, re.S)
    assert match, html[:500]
    return json.loads(match.group(1))


def test_notebook7_pages_load_the_extension(tmp_path):
    env = {"PYTHONPATH": os.pathsep.join(filter(None, [HOOK_SOURCE_DIR, os.environ.get("PYTHONPATH")]))}
    with JupyterServer(tmp_path, extra_env=env) as server:
        (server.workdir / "root" / "nb.ipynb").write_text(
            json.dumps({"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5})
        )
        for page in ("tree", "notebooks/nb.ipynb"):
            answer = server.request("GET", page)
            assert answer.status == 200, answer
            config = page_config(answer.body.decode("utf-8"))
            assert config.get("appName") == "Jupyter Notebook"
            extensions = {entry["name"]: entry for entry in config["federated_extensions"]}
            assert EXTENSION in extensions, sorted(extensions)
            disabled = config.get("disabledExtensions", [])
            assert not [name for name in disabled if name.startswith(EXTENSION)], disabled
        entry = extensions[EXTENSION]
        remote = server.request("GET", f"lab/extensions/{EXTENSION}/{entry['load']}")
        assert remote.status == 200, remote
        assert b"jupyterlab-keras-migrate" in remote.body
