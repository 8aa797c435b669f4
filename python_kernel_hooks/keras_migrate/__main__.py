"""`python -m keras_migrate ...`: the same command line as the `keras-migrate` console script."""

import sys

from .cli import console_script, main

__all__ = ["main"]

if __name__ == "__main__":
    sys.argv[0] = "keras-migrate"
    console_script()
