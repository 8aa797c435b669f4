"""POST {base_url}keras-migrate/explain on a real `jupyter server` subprocess.

The traceback text is produced by running Keras (JAX backend) in a subprocess.
"""

import json
import os
import subprocess
import sys

import jsonschema
import pytest

from conftest import HOOK_SOURCE_DIR
from keras_migrate import catalog
from test_server_support import JupyterServer

BASE_URL = "/explain-test/"
EXPLAIN = "keras-migrate/explain"


def diagnosis_schema():
    with open(os.path.join(catalog.catalog_dir(), "diagnosis.schema.json"), encoding="utf-8") as handle:
        return json.load(handle)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with JupyterServer(tmp_path_factory.mktemp("server"), base_url=BASE_URL) as running:
        yield running


@pytest.fixture(scope="module")
def keras_traceback(tmp_path_factory):
    """A real traceback: Keras 3 refusing the Keras 2 `lr` argument, as Python prints it."""
    script = tmp_path_factory.mktemp("script") / "train.py"
    script.write_text("import keras\nopt = keras.optimizers.Adam(lr=0.01)\n")
    env = dict(os.environ, KERAS_BACKEND="jax", PYTHONPATH=HOOK_SOURCE_DIR)
    done = subprocess.run(
        [sys.executable, str(script)],
        capture_output=True, text=True, env=env, timeout=300,
    )
    assert done.returncode == 1 and "Traceback" in done.stderr, done.stderr
    return done.stderr


def test_explains_a_traceback_with_the_python_recognizer(server, keras_traceback):
    answer = server.request("POST", EXPLAIN, {"text": keras_traceback})
    assert answer.status == 200, answer
    body = answer.json()
    schema = diagnosis_schema()
    jsonschema.validate(body["diagnosis"], schema)
    for diagnosis in body["diagnoses"]:
        jsonschema.validate(diagnosis, schema)
    assert body["diagnosis"]["guide"] == "api-changes"
    assert body["diagnosis"]["names"] == {"argument": "lr"}
    assert body["diagnosis"]["line"] == 2
    assert body["diagnosis"]["file"].endswith("train.py")


def test_two_tracebacks_in_one_text_are_each_answered(server, keras_traceback):
    other = "Traceback (most recent call last):\n  File \"x.py\", line 1, in <module>\nKeyError: 'missing'\n"
    body = server.request("POST", EXPLAIN, {"text": other + "\n" + keras_traceback}).json()
    assert [d["guide"] for d in body["diagnoses"]] == [None, "api-changes"]
    assert body["diagnosis"]["guide"] == "api-changes"


def test_text_that_is_not_a_migration_problem(server):
    body = server.request("POST", EXPLAIN, {"text": "ZeroDivisionError: division by zero"}).json()
    jsonschema.validate(body["diagnosis"], diagnosis_schema())
    assert body["diagnosis"]["guide"] is None
    assert body["diagnosis"]["exception_type"] == "ZeroDivisionError"


@pytest.mark.parametrize(
    "raw_body", [b"", b"text=x", b'["x"]', b'"x"', b'{"text": 3}', b'{"traceback": "x"}', b'{"text": null}']
)
def test_bad_input_gets_400(server, raw_body):
    answer = server.request("POST", EXPLAIN, raw_body=raw_body)
    assert answer.status == 400, answer
    assert "message" in answer.json()


def test_body_is_bounded(server):
    answer = server.request("POST", EXPLAIN, {"text": "x" * (2 * 1024 * 1024)})
    assert answer.status == 413, answer


@pytest.mark.parametrize("token", [None, "not-the-token"])
def test_requests_without_valid_credentials_are_refused(server, token):
    answer = server.request("POST", EXPLAIN, {"text": "ValueError: x"}, token=token)
    assert answer.status in (401, 403), answer


def test_endpoint_lives_under_base_url(server):
    outside = server.request("POST", EXPLAIN, {"text": "ValueError: x"}, base_url="/")
    assert outside.status == 404, outside
