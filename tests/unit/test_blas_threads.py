"""numpy's BLAS runs on the caller's thread once Parley starts, unless the operator chose."""

from __future__ import annotations

import os

import numpy as np
import pytest
from threadpoolctl import threadpool_info

from parley.core.workers import one_blas_thread


def test_blas_is_kept_to_one_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENBLAS_NUM_THREADS", raising=False)
    assert np.ones((2, 2)).sum() == 4  # numpy loaded first: the limit is applied at run time
    one_blas_thread()
    # every BLAS loaded (numpy's, and scipy's own copy when a library loaded it) on one thread
    threads = [p["num_threads"] for p in threadpool_info() if p["user_api"] == "blas"]
    assert threads and set(threads) == {1}
    assert os.environ["OPENBLAS_NUM_THREADS"] == "1"  # and workers started later inherit it


def test_an_operators_own_setting_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "2")
    one_blas_thread()
    assert os.environ["OPENBLAS_NUM_THREADS"] == "2"


def test_benches_run_blas_on_one_thread_from_their_first_import() -> None:
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    # ``python -m bench.X`` imports the package first, before the bench's own numpy import
    code = ("import bench, os, numpy; from threadpoolctl import threadpool_info; "
            "print(os.environ['OPENBLAS_NUM_THREADS'], "
            "{p['num_threads'] for p in threadpool_info() if p['user_api'] == 'blas'})")
    shown = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                           text=True, check=True).stdout.split(maxsplit=1)
    assert shown == ["1", "{1}\n"]
