"""Parley's benchmarks and offline training scripts; run with ``python -m bench``."""

from parley.core.workers import one_blas_thread

# Every ``python -m bench.X`` imports this package first, before its module loads numpy: the
# benches run numpy's BLAS on one thread, as ``parley`` itself does (an OpenBLAS helper thread
# spinning under load otherwise costs milliseconds of CPU a question that production never pays).
one_blas_thread()
