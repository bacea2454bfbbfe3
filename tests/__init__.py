"""The test suite; first of all, it lets Python keep compiled files for every process it starts."""

import os
import sys

# Some machines (this project's CI among them) set PYTHONDONTWRITEBYTECODE. Then each of the
# suite's processes (its workers, every `python -m parley` it starts, their worker pools)
# compiles the whole package again, about 0.4 s of CPU each; kept in __pycache__ (ignored by
# git), a module is compiled once.
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
sys.dont_write_bytecode = False
