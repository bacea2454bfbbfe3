"""Imported by the worker pool's fork server: loads the analysis engine and its shipped models
once (by analysing the bundled example article), so every forked worker starts warm."""

from __future__ import annotations

import json
from importlib import resources

import trafilatura  # noqa: F401 - parse_html imports it on use; the workers have it loaded

from parley.core.analysis.article import analyse
from parley.core.analysis.lexicon import load_lexicon
from parley.core.example import EXAMPLE_META
from parley.core.ingest.pipeline import prepare
from parley.core.workers import one_blas_thread


def warm() -> None:
    folder = resources.files("parley.core.data") / "articles"
    meta = json.loads((folder / EXAMPLE_META).read_text(encoding="utf-8"))
    parsed = prepare((folder / meta["file"]).read_bytes(), None, meta["file"], None)
    analyse(parsed, load_lexicon())


one_blas_thread()  # the workers are forked from this process, so they inherit it
warm()
