"""The IPython kernel a run starts: ipykernel, without loading its debugger.

A run's kernels execute one notebook and are thrown away; nobody attaches a
debugger to them. ipykernel imports debugpy while it builds the kernel object,
which is about a third of a kernel's start-up here (measured with
`python -X importtime`). Marking debugpy as not importable while the kernel is
built makes ipykernel go without its debugger, as it does where debugpy is not
installed; the mark is removed before the kernel runs any notebook code, so a
notebook can still import debugpy.

Started as `python -m keras_migrate.runner.kernel -f {connection_file} ...`
(execute.py puts it in place of `ipykernel_launcher` in the kernel's command).
"""

import sys


def main():
    # As ipykernel_launcher: the kernel's working folder is not an import location.
    if sys.path and sys.path[0] == "":
        del sys.path[0]
    from ipykernel.kernelapp import IPKernelApp

    blocked = "debugpy" not in sys.modules
    if blocked:
        sys.modules["debugpy"] = None  # `import debugpy` raises ImportError
    try:
        app = IPKernelApp.instance()
        app.initialize()
    finally:
        if blocked and sys.modules.get("debugpy", 0) is None:
            del sys.modules["debugpy"]
    app.start()


if __name__ == "__main__":
    main()
