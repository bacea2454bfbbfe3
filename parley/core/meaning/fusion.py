"""Finds the encoder graph's attention and GELU subgraphs, for the integer graph to fuse each.

The packaged graph (a PyTorch export) spells each layer's attention as about thirty small nodes
(the head split's ``Reshape``/``Transpose``, ``Shape``/``Slice``/``Concat`` for the sizes, a
mask ``Where``, ``Softmax``, an ``IsNaN`` guard) and GELU as five (``Div``, ``Erf``, ``Add``,
``Mul``, ``Mul``); onnxruntime's own optimiser fuses neither here. Each of those costs a kernel
launch and an intermediate tensor, which for a ten-token question is most of their cost. This
module only *reads* the graph: :func:`attentions` and :func:`gelus` return what each subgraph
takes and gives, or nothing for a subgraph not of the expected shape (then it is left as it is).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

Graph = Any  # onnx.GraphProto; onnx is imported lazily by graph.py
Node = Any  # onnx.NodeProto


@dataclass(frozen=True)
class Attention:
    """One layer's self-attention: its input, the query, key and value projections' weights
    and biases (``Add(MatMul(input, weight), bias)``), and its output, (batch, tokens, hidden)."""

    input: str
    weights: tuple[str, str, str]
    biases: tuple[str, str, str]
    output: str


@dataclass(frozen=True)
class Gelu:
    """An erf GELU, ``x * 0.5 * (1 + erf(x / √2))``: its input and output names."""

    input: str
    output: str


class _Walk:
    """The graph's producer and consumers of every tensor name."""

    def __init__(self, graph: Graph) -> None:
        self.made: dict[str, Node] = {o: n for n in graph.node for o in n.output}
        self.users: dict[str, list[Node]] = {}
        for node in graph.node:
            for name in node.input:
                self.users.setdefault(name, []).append(node)

    def up(self, node: Node, op: str, index: int = 0) -> Node:
        """The node making ``node``'s input ``index``, which must be an ``op``."""
        found = self.made.get(node.input[index]) if len(node.input) > index else None
        if found is None or found.op_type != op:
            raise LookupError(op)
        return found

    def down(self, node: Node, op: str) -> Node:
        """The one ``op`` node reading ``node``'s first output (a tensor read by other nodes
        too keeps its maker alive after the rewrite: slower, never wrong)."""
        found = [n for n in self.users.get(node.output[0], []) if n.op_type == op]
        if len(found) != 1:
            raise LookupError(op)
        return found[0]


def _attention(walk: _Walk, softmax: Node) -> Attention:
    scores = walk.up(softmax, "Add")  # q·kᵀ plus the mask
    product = walk.up(scores, "MatMul")
    query = walk.up(walk.up(walk.up(walk.up(product, "Mul"), "Transpose"), "Reshape"), "Add")
    key = walk.up(walk.up(product, "Mul", 1), "Reshape")  # kᵀ, made in heads then transposed
    key = walk.up(walk.up(walk.up(walk.up(key, "Transpose"), "Reshape"), "Transpose"), "Reshape")
    key = walk.up(key, "Add")
    guard = walk.down(walk.down(softmax, "IsNaN"), "Where")
    mixed = walk.down(guard, "MatMul")
    value = walk.up(walk.up(walk.up(mixed, "Transpose", 1), "Reshape"), "Add")
    output = walk.down(walk.down(mixed, "Transpose"), "Reshape")
    products = [walk.up(p, "MatMul") for p in (query, key, value)]
    if len({m.input[0] for m in products}) != 1:
        raise LookupError("the projections read different inputs")
    weights = products[0].input[1], products[1].input[1], products[2].input[1]
    return Attention(products[0].input[0], weights,
                     (query.input[1], key.input[1], value.input[1]), output.output[0])


def attentions(graph: Graph) -> Iterator[Attention]:
    """Every self-attention of the graph's expected shape, in order."""
    walk = _Walk(graph)
    for node in graph.node:
        if node.op_type == "Softmax":
            try:
                yield _attention(walk, node)
            except LookupError:
                continue


def gelus(graph: Graph) -> Iterator[Gelu]:
    """Every ``Div``→``Erf``→``Add``→``Mul``→``Mul`` GELU of the graph, in order (the constants
    are the package's √2, 1 and 0.5; the rewrite's test checks the fused graph's outputs)."""
    walk = _Walk(graph)
    for node in graph.node:
        if node.op_type != "Erf":
            continue
        try:
            divided = walk.up(node, "Div")
            last = walk.down(walk.down(walk.down(node, "Add"), "Mul"), "Mul")
        except LookupError:
            continue
        if divided.input[0] in last.input:
            yield Gelu(divided.input[0], last.output[0])
