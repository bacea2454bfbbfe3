"""Rewrites of the encoder's ONNX graph at load: a lighter exact graph, and a faster question one.

The packaged graph stores each weight as int8 with a float scale (``Cast`` then ``Mul``) and
onnxruntime folds every one back to float32 when it loads it: 90 MB of floats, the 47 MB
embedding table among them. Two rewrites, both over the package's own int8 weights (nothing is
re-quantised, nothing is written to disk):

- :func:`exact`: the embedding tables are looked up as int8 and only the looked-up rows are
  scaled (``Gather`` before the ``Cast``/``Mul``), so the table stays 12 MB; every output is
  bit-for-bit what the packaged graph gives.
- :func:`integer`: that, and each weight ``MatMul`` becomes ``DynamicQuantizeLinear`` (the
  activations to uint8, per call) then ``MatMulInteger`` over the weights as uint8 (zero point
  128: exact for int8 weights, and the u8×u8 kernel cannot saturate on AVX2), rescaled to float.
  About half the CPU of the float graph for a short text; its vectors agree with the exact
  graph's to a cosine of about 0.99 (``tests/unit/test_encoder.py``; its cost: ``python -m
  bench.encoder_memory``).

``onnx`` (the graph's own format library) is imported only here, on the encoder's first load.
"""

from __future__ import annotations

from typing import Any

import numpy as np

Graph = Any  # onnx.GraphProto; onnx is imported lazily


def _dequantised(graph: Graph) -> dict[str, tuple[str, str]]:
    """``Mul(Cast(int8 weight), scale)`` outputs → (weight name, scale name)."""
    constants = {i.name for i in graph.initializer}
    made = {o: n for n in graph.node for o in n.output}
    out = {}
    for node in graph.node:
        if node.op_type != "Mul" or len(node.input) != 2:
            continue
        cast = made.get(node.input[0])
        if (cast is not None and cast.op_type == "Cast" and cast.input[0] in constants
                and node.input[1] in constants):
            out[node.output[0]] = (cast.input[0], node.input[1])
    return out


def _prune(graph: Graph) -> None:
    """Drop the nodes and constants nothing reads any more (the folded float weights)."""
    while True:
        wanted = {i for n in graph.node for i in n.input} | {o.name for o in graph.output}
        kept = [n for n in graph.node if any(o in wanted for o in n.output)]
        if len(kept) == len(graph.node):
            break
        del graph.node[:]
        graph.node.extend(kept)
    initializers = [i for i in graph.initializer if i.name in wanted]
    del graph.initializer[:]
    graph.initializer.extend(initializers)


def _rewrite(data: bytes, integer_matmuls: bool) -> bytes:
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    model = onnx.load_from_string(data)
    graph = model.graph
    weights = _dequantised(graph)
    tensors = {i.name: i for i in graph.initializer}
    nodes: list[Any] = []
    extra: list[Any] = []
    for node in graph.node:
        name = node.name or node.output[0]
        if node.op_type == "Gather" and node.input[0] in weights:
            table, scale = weights[node.input[0]]
            if tuple(tensors[scale].dims)[1:] == (1,):  # one scale per row: scale the rows found
                nodes += [
                    helper.make_node("Gather", [table, node.input[1]], [f"{name}_q"],
                                     name=f"{name}_q", axis=0),
                    helper.make_node("Cast", [f"{name}_q"], [f"{name}_f"], name=f"{name}_f",
                                     to=TensorProto.FLOAT),
                    helper.make_node("Gather", [scale, node.input[1]], [f"{name}_s"],
                                     name=f"{name}_s", axis=0),
                    helper.make_node("Mul", [f"{name}_f", f"{name}_s"], list(node.output),
                                     name=f"{name}_out"),
                ]
                continue
        if integer_matmuls and node.op_type == "MatMul" and node.input[1] in weights:
            weight, scale = weights[node.input[1]]
            unsigned = f"{weight}_u8"
            if unsigned not in tensors:
                values = numpy_helper.to_array(tensors[weight]).astype(np.int16) + 128
                tensors[unsigned] = numpy_helper.from_array(values.astype(np.uint8), unsigned)
                extra.append(tensors[unsigned])
            x = node.input[0]
            nodes += [
                helper.make_node("DynamicQuantizeLinear", [x],
                                 [f"{name}_xq", f"{name}_xs", f"{name}_xz"], name=f"{name}_dq"),
                helper.make_node("MatMulInteger", [f"{name}_xq", unsigned, f"{name}_xz",
                                                   "parley_zero_point_128"],
                                 [f"{name}_i"], name=f"{name}_mm"),
                helper.make_node("Cast", [f"{name}_i"], [f"{name}_f"], name=f"{name}_f",
                                 to=TensorProto.FLOAT),
                helper.make_node("Mul", [f"{name}_xs", scale], [f"{name}_s"], name=f"{name}_s"),
                helper.make_node("Mul", [f"{name}_f", f"{name}_s"], list(node.output),
                                 name=f"{name}_out"),
            ]
            continue
        nodes.append(node)
    if integer_matmuls:
        extra.append(numpy_helper.from_array(np.array(128, dtype=np.uint8),
                                             "parley_zero_point_128"))
    del graph.node[:]
    graph.node.extend(nodes)
    graph.initializer.extend(extra)
    _prune(graph)
    return bytes(model.SerializeToString())


def exact(data: bytes) -> bytes:
    """The packaged graph with its embedding tables kept int8: the same outputs, bit for bit."""
    return _rewrite(data, integer_matmuls=False)


def integer(data: bytes) -> bytes:
    """The packaged graph with integer weight matmuls (and int8 tables): the fast question
    path."""
    return _rewrite(data, integer_matmuls=True)
