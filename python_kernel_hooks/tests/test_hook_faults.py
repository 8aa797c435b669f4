"""Faults in the hook's own work never reach the kernel; its output is bounded.

Real kernels (JAX backend: the cheapest to start), the same cells in a kernel
with the hook and one without.
"""

import json
import queue
import textwrap

import pytest

from conftest import assert_unchanged_error, line_of

pytestmark = pytest.mark.timeout(600)


@pytest.fixture(scope="module")
def pair(jax_kernels):
    hooked, plain = jax_kernels.run("import keras, numpy as np")
    assert hooked.reply["status"] == "ok", hooked.outputs
    return jax_kernels


def test_exception_whose_str_raises_system_exit_does_not_kill_the_kernel(pair):
    code = textwrap.dedent("""\
        class Unprintable(Exception):
            def __str__(self):
                raise SystemExit("from __str__")

        raise Unprintable()
        """)
    hooked, plain = pair.run(code)
    assert hooked.diagnoses == []
    # Nothing but the error in either kernel, and both kernels still answer.
    assert [kind for kind, _ in hooked.outputs] == [kind for kind, _ in plain.outputs]
    assert pair.hooked.manager.is_alive()
    after, _ = pair.run("print(6 * 7)")
    assert after.reply["status"] == "ok" and after.stdout == "42\n"


def test_interrupt_during_diagnosis_prints_nothing_extra(pair):
    """The exception's __str__ sleeps only when the hook calls it, so the interrupt lands in the hook."""
    define = textwrap.dedent("""\
        import sys, time

        class SlowToDescribe(Exception):
            def __str__(self):
                if sys._getframe(1).f_globals.get("__name__", "").startswith("keras_migrate"):
                    print("hook-is-diagnosing", flush=True)
                    time.sleep(30)
                return "slow"
        """)
    hooked, _ = pair.run(define)
    assert hooked.reply["status"] == "ok", hooked.outputs

    kernel = pair.hooked
    msg_id = kernel.client.execute("raise SlowToDescribe()", store_history=True)
    outputs = []
    interrupted = False
    while True:
        try:
            message = kernel.client.get_iopub_msg(timeout=120)
        except queue.Empty:
            raise AssertionError("kernel did not go idle: %r" % outputs)
        if message["parent_header"].get("msg_id") != msg_id:
            continue
        kind, content = message["msg_type"], message["content"]
        if kind == "status":
            if content["execution_state"] == "idle":
                break
            continue
        if kind == "execute_input":
            continue
        if kind == "stream" and "hook-is-diagnosing" in content.get("text", ""):
            kernel.manager.interrupt_kernel()
            interrupted = True
            continue
        outputs.append((kind, content))
    assert interrupted, outputs
    # Exactly the user's traceback: no KeyboardInterrupt, no log line, no card.
    assert [kind for kind, _ in outputs] == ["error"], outputs
    assert outputs[0][1]["ename"] == "SlowToDescribe"
    pair.plain.run("None")  # keep the two kernels' execution counts aligned
    after, _ = pair.run("print('alive')")
    assert after.stdout == "alive\n"


def test_huge_message_gives_a_bounded_card(pair):
    """Keras itself raises a 10 MB message (an unknown optimizer argument with a 10 MB name)."""
    code = "keras.optimizers.Adam(lr=0.1, **{'x' * 10_000_000: 1})\n"
    hooked, plain = pair.run(code)
    assert hooked.error["ename"] == plain.error["ename"] == "ValueError"
    assert len(hooked.error["evalue"]) == len(plain.error["evalue"]) > 10_000_000
    [diagnosis] = hooked.diagnoses
    assert diagnosis["signature"] == "optimizer-lr-argument"
    assert diagnosis["names"] == {"argument": "lr"}
    assert len(json.dumps(diagnosis)) < 32 * 1024
    assert len(diagnosis["message"]) <= 4096


def test_line_in_an_imported_module_names_the_cell_line(pair, tmp_path):
    module = tmp_path / "train_helpers.py"
    module.write_text("import keras\n\n\ndef make_optimizer():\n    return keras.optimizers.Adam(lr=0.01)\n")
    code = "import sys\nsys.path.insert(0, %r)\nimport train_helpers\nopt = train_helpers.make_optimizer()\n" % str(tmp_path)
    hooked, plain = pair.run(code)
    assert_unchanged_error(hooked, plain)
    [diagnosis] = hooked.diagnoses
    assert diagnosis["guide"] == "api-changes"
    assert diagnosis["cell"] == hooked.reply["execution_count"]
    assert diagnosis["line"] == line_of(code, "make_optimizer()")
    assert diagnosis["file"] is None
    assert diagnosis["origin"]["file"] == str(module)
    assert diagnosis["origin"]["line"] == 5
    assert diagnosis["origin"]["text"] == "return keras.optimizers.Adam(lr=0.01)"


def test_failure_inside_a_fit_callback_names_the_callback_line(pair):
    define = textwrap.dedent("""\
        class SwapOptimizer(keras.callbacks.Callback):
            def on_epoch_end(self, epoch, logs=None):
                self.model.optimizer = keras.optimizers.SGD(lr=0.01)
        """)
    hooked, _ = pair.run(define)
    assert hooked.reply["status"] == "ok", hooked.outputs
    defined_in = hooked.reply["execution_count"]
    fit = textwrap.dedent("""\
        model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
        model.compile(optimizer="sgd", loss="mse")
        model.fit(np.zeros((8, 4)), np.zeros((8, 1)), epochs=1, verbose=0, callbacks=[SwapOptimizer()])
        """)
    hooked, plain = pair.run(fit)
    assert_unchanged_error(hooked, plain)
    [diagnosis] = hooked.diagnoses
    assert diagnosis["guide"] == "api-changes"
    assert diagnosis["cell"] == defined_in
    assert diagnosis["line"] == line_of(define, "SGD(lr=")
