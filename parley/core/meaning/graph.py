"""Rewrites of the encoder's ONNX graph at load: a lighter exact graph, and a faster question one.

The packaged graph stores each weight as int8 with a float scale (``Cast`` then ``Mul``) and
onnxruntime folds every one back to float32 when it loads it: 90 MB of floats, the 47 MB
embedding table among them. Two rewrites, both over the package's own int8 weights (nothing is
re-quantised, nothing is written to disk):

- :func:`exact`: the embedding tables are looked up as int8 and only the looked-up rows are
  scaled (``Gather`` before the ``Cast``/``Mul``), so the table stays 12 MB; every output is
  bit-for-bit what the packaged graph gives.
- :func:`integer`: that, and the weight matmuls made integer, each layer's attention and GELU
  fused (``quantised.py``): about 0.4 of the exact graph's CPU for a question; its vectors agree
  with the exact graph's to a cosine of about 0.99 (``tests/unit/test_encoder.py``; its cost:
  ``python -m bench.encoder_memory``, per node: ``python -m bench.encoder_profile``).

``onnx`` (the graph's own format library) is imported only here, on the encoder's first load.
"""

from __future__ import annotations

from typing import Any

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


def prune(graph: Graph) -> None:
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


def _tables(graph: Graph, weights: dict[str, tuple[str, str]], tensors: dict[str, Any]) -> None:
    """Each embedding table with one scale a row looked up as int8, only the rows found scaled."""
    from onnx import TensorProto, helper

    nodes: list[Any] = []
    for node in graph.node:
        name = node.name or node.output[0]
        if node.op_type == "Gather" and node.input[0] in weights:
            table, scale = weights[node.input[0]]
            if tuple(tensors[scale].dims)[1:] == (1,):
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
        nodes.append(node)
    del graph.node[:]
    graph.node.extend(nodes)


def _rewrite(data: bytes, integer_matmuls: bool, fused: bool = True) -> bytes:
    import onnx

    model = onnx.load_from_string(data)
    graph = model.graph
    weights = _dequantised(graph)
    tensors = {i.name: i for i in graph.initializer}
    _tables(graph, weights, tensors)
    if integer_matmuls:
        from parley.core.meaning import quantised

        quantised.rewrite(model, weights, tensors, fused)
    prune(graph)
    return bytes(model.SerializeToString())


def exact(data: bytes) -> bytes:
    """The packaged graph with its embedding tables kept int8: the same outputs, bit for bit."""
    return _rewrite(data, integer_matmuls=False)


def integer(data: bytes, fused: bool = True) -> bytes:
    """The packaged graph with integer weight matmuls (and int8 tables), its attention and GELU
    fused: the fast question path. ``fused=False`` leaves them as exported (benchmarks compare)."""
    return _rewrite(data, integer_matmuls=True, fused=fused)
