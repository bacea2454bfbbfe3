"""The encoder's graphs node by node: how many nodes onnxruntime runs, and the time of each op type.

Three graphs over the installed package's weights, in one process: ``exact`` (what articles
store, ``encode``), ``integer, unfused`` (the integer matmuls alone, attention and GELU as
exported: how questions were encoded before) and ``integer`` (what ``encode_question`` runs:
attention and GELU fused too). For each: the node count after onnxruntime's own optimisation
(``optimized_model_filepath``), the CPU of one question's ``session.run`` (p50/p99 over the 38
questions of ``bench.fact_lookup``, the graphs interleaved so a loaded machine slows each
alike), of a 36-token message (``/check``'s tweets) and of a batch of 32 article sentences
(ingestion), the cosine of each question's vector by the integer graph with the exact one's,
and onnxruntime's per-node profile of the questions summed by op type (its times
are wall-clock and inflated by the profiler itself: read the shares, not the sums).

    python -m bench.encoder_profile            # about a minute
    python -m bench.encoder_profile --quick    # fewer rounds
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import numpy as np

from bench.fact_lookup import questions
from bench.timing import p50_p99
from bench.workloads import example_article

# 36 tokens with [CLS] and [SEP], about a CLEF 2020 tweet's length (written for this bench).
MESSAGE = ("BREAKING: the council says the new carbon levy will cost every family $400 a year "
           "and close two plants by 2027, according to a leaked report nobody has checked yet")


def _graphs() -> dict[str, bytes]:
    from parley.core.meaning import graph
    from parley.core.meaning.encoder import _graph

    packaged = _graph()
    return {"exact": graph.exact(packaged), "integer, unfused": graph.integer(packaged, False),
            "integer": graph.integer(packaged)}


def _session(data: bytes, folder: Path, name: str, profile: bool) -> Any:
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    options.enable_cpu_mem_arena = False
    if profile:
        options.enable_profiling = True
        options.profile_file_prefix = str(folder / name.replace(" ", "_").replace(",", ""))
    else:
        options.optimized_model_filepath = str(folder / "optimised.onnx")
    return onnxruntime.InferenceSession(data, options, providers=["CPUExecutionProvider"])


def _feeds(texts: list[str]) -> dict[str, np.ndarray[Any, Any]]:
    from parley.core.meaning.encoder import _tokenizer

    encodings = _tokenizer().encode_batch(texts)
    ids = np.array([e.ids for e in encodings], dtype=np.int64)
    mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
    return {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}


def _nodes(folder: Path) -> dict[str, Any]:
    import onnx

    model = onnx.load(str(folder / "optimised.onnx"), load_external_data=False)
    return {"nodes": len(model.graph.node),
            "by_op": dict(Counter(n.op_type for n in model.graph.node).most_common())}


def _cpu(sessions: dict[str, Any], feeds: list[dict[str, Any]], rounds: int
         ) -> dict[str, list[float]]:
    spent: dict[str, list[float]] = {name: [] for name in sessions}
    for _ in range(rounds):
        for feed in feeds:
            for name, session in sessions.items():
                started = time.process_time()
                session.run(None, feed)
                spent[name].append((time.process_time() - started) * 1000)
    return spent


def _by_op(session: Any, feeds: list[dict[str, Any]]) -> dict[str, dict[str, float]]:
    for feed in feeds:
        session.run(None, feed)
    events = json.loads(Path(session.end_profiling()).read_text(encoding="utf-8"))
    spent: dict[str, float] = defaultdict(float)
    count: Counter[str] = Counter()
    for event in events:
        if event.get("cat") == "Node" and event["name"].endswith("_kernel_time"):
            spent[event["args"]["op_name"]] += event["dur"]
            count[event["args"]["op_name"]] += 1
    total = sum(spent.values()) or 1.0
    return {op: {"nodes_run": round(count[op] / len(feeds), 1),
                 "share": round(value / total, 3)}
            for op, value in sorted(spent.items(), key=lambda kv: -kv[1])}


def run(quick: bool = False) -> dict[str, Any]:
    from parley.core.ingest.pipeline import decode, detect_format, parse

    asked = [q["ask"] for q in questions()]
    text = decode(example_article())
    sentences = [s.text for sec in parse(text, detect_format(text, "example.txt")).sections
                 for s in sec.sentences][:32]
    feeds = [_feeds([q]) for q in asked]
    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        sessions = {}
        for name, data in _graphs().items():
            sessions[name] = _session(data, folder, name, profile=False)
            out[name] = _nodes(folder)
        rounds = 3 if quick else 10
        _cpu(sessions, feeds, 1)  # warm
        asking = _cpu(sessions, feeds, rounds)
        paired = np.array(asking["integer"]) / np.array(asking["integer, unfused"])
        out["integer_to_unfused_paired_ratio"] = {
            "median": round(float(np.median(paired)), 3),
            "p10_p90": [round(float(v), 3) for v in np.percentile(paired, [10, 90])]}
        for label, spent in (("question_cpu_ms", asking),
                             ("message_36_tokens_cpu_ms", _cpu(sessions, [_feeds([MESSAGE])],
                                                              rounds * 10)),
                             ("batch_32_sentences_cpu_ms", _cpu(sessions, [_feeds(sentences)],
                                                               rounds))):
            for name, values in spent.items():
                out[name][label] = p50_p99(values)
        for name, data in _graphs().items():
            out[name]["profile_by_op"] = _by_op(_session(data, folder, name, profile=True), feeds)
    from parley.core.meaning.encoder import encode_one, encode_question

    cosines = np.array([float(encode_question(q) @ encode_one(q)) for q in asked])
    out["integer_to_exact_question_cosine"] = {"min": round(float(cosines.min()), 4),
                                               "mean": round(float(cosines.mean()), 4)}
    out["tokens"] = {"questions": sorted(int(f["input_ids"].shape[1]) for f in feeds),
                     "message": int(_feeds([MESSAGE])["input_ids"].shape[1]),
                     "batch": list(_feeds(sentences)["input_ids"].shape)}
    return out


if __name__ == "__main__":
    print(json.dumps(run(quick="--quick" in sys.argv), indent=1))
