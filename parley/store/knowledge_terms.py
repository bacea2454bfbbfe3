"""The knowledge base's words held in memory and scored as SQLite's FTS5 ``bm25`` scores
``knowledge_fts``: the same tokens (FTS5's own tokenizer, run on a private in-memory table),
the same counts and the same formula, without a query to the store on each check."""

from __future__ import annotations

import math
import sqlite3
import threading
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from parley.store.db import Database
from parley.store.search import phrase_text

K1, B = 1.2, 0.75  # FTS5's bm25 constants
TOKENIZE = "porter unicode61"  # knowledge_fts's (migration 0012)
WORDS = 50_000  # query words whose tokens are remembered


class Tokenizer:
    """FTS5's tokenizer on a private in-memory database (the same SQLite library, the same
    tokenizer as ``knowledge_fts``), and the query texts it has tokenized already."""

    def __init__(self) -> None:
        self._db = sqlite3.connect(":memory:", check_same_thread=False)
        self._db.executescript(
            f"CREATE VIRTUAL TABLE q USING fts5(x, tokenize='{TOKENIZE}');"
            "CREATE VIRTUAL TABLE qv USING fts5vocab(q, instance);"
            f"CREATE VIRTUAL TABLE d USING fts5(claim_reviewed, title, tokenize='{TOKENIZE}');"
            "CREATE VIRTUAL TABLE dv USING fts5vocab(d, instance);")
        self._lock = threading.Lock()
        self._known: dict[str, tuple[str, ...] | None] = {}

    def tokens(self, terms: Sequence[str]) -> list[tuple[str, ...] | None]:
        """Each query term's tokens as FTS5 reads it in a ``match_expression`` (None: the
        expression leaves the term out)."""
        todo = [t for t in dict.fromkeys(terms) if t not in self._known]
        if todo:
            texts = {t: phrase_text((t,)) for t in todo}
            asked = [t for t in todo if texts[t]]
            found: dict[int, list[str]] = {i: [] for i in range(1, len(asked) + 1)}
            if asked:
                with self._lock:
                    self._db.executemany("INSERT INTO q(rowid, x) VALUES (?, ?)",
                                         enumerate((texts[t] for t in asked), start=1))
                    for doc, term in self._db.execute("SELECT doc, term FROM qv"
                                                      " ORDER BY doc, offset"):
                        found[int(doc)].append(str(term))
                    self._db.execute("DELETE FROM q")
            if len(self._known) + len(todo) > WORDS:
                self._known.clear()
            self._known.update((t, None) for t in todo)
            self._known.update((t, tuple(found[i])) for i, t in enumerate(asked, start=1))
        return [self._known[t] for t in terms]

    def index(self, rows: Sequence[tuple[int, str, str]]) -> list[tuple[str, str]]:
        """Each token of the rows and where it is: "row count row count …" (a row by its
        index in ``rows``, how often the token is in it, claim and headline together)."""
        with self._lock:
            self._db.executemany(
                "INSERT INTO d(rowid, claim_reviewed, title) VALUES (?, ?, ?)",
                ((i, claim, title) for i, (_, claim, title) in enumerate(rows)))
            found = [(str(term), str(places)) for term, places in self._db.execute(
                "SELECT term, group_concat(doc || ' ' || n, ' ') FROM"
                " (SELECT term, doc, count(*) AS n FROM dv GROUP BY term, doc) GROUP BY term")]
            self._db.execute("DELETE FROM d")
        return found


@dataclass(frozen=True)
class Terms:
    """``knowledge_fts`` as held: for each token, the rows it is in and what it adds to each
    row's bm25 (which depends on the token and the row alone, so it is computed once)."""

    generation: int  # the fact checks' generation it was read at (``store.fresh``)
    ids: npt.NDArray[np.int64]  # a row's fact check id, by the row's index
    scores: dict[str, tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]]

    def ranked(self, tokenizer: Tokenizer, terms: Sequence[str], limit: int
               ) -> list[tuple[int, float]] | None:
        """As :func:`parley.store.search.knowledge_ranked` on SQLite: the ``limit`` best fact
        checks sharing a term and their relevance (-bm25), ties by id; None when a term is
        not one token or none (the store's own search then answers: this one would not be
        sure to rank as it does)."""
        where, adds = [], []
        for tokens in tokenizer.tokens(terms):
            if tokens is None:  # not in the expression
                continue
            if len(tokens) != 1:
                return None
            found = self.scores.get(tokens[0])
            if found is not None:
                where.append(found[0])
                adds.append(found[1])
        if not where:
            return []
        # summed phrase by phrase, in the query's order, as FTS5 sums them: the same doubles;
        # every row sharing a token scores above 0 (FTS5's idf is at least 1e-6)
        score = np.bincount(np.concatenate(where), np.concatenate(adds),
                            minlength=len(self.ids))
        matched = np.flatnonzero(score)
        if len(matched) > limit:  # the best, and every row tied with the last of them
            last = np.partition(score[matched], len(matched) - limit)[len(matched) - limit]
            matched = matched[score[matched] >= last]
        order = np.lexsort((self.ids[matched], -score[matched]))[:limit]
        return [(int(self.ids[i]), float(score[i])) for i in matched[order]]


def build(tokenizer: Tokenizer, rows: Sequence[tuple[int, str, str]], generation: int
          ) -> Terms:
    """The held terms of these ``knowledge_fts`` rows, (id, claim, headline) (blocking: for a
    thread; numpy does the counting, so the GIL is mostly free)."""
    found = tokenizer.index(rows)
    count = len(rows)
    pairs = [np.array(places.split(), dtype=np.int64).reshape(-1, 2) for _, places in found]
    if not pairs:
        return Terms(generation, np.asarray([r[0] for r in rows], dtype=np.int64), {})
    sizes = np.array([len(p) for p in pairs])
    every = np.concatenate(pairs)
    where, tf = every[:, 0], every[:, 1].astype(np.float64)
    lengths = np.bincount(where, tf, minlength=count)  # a row's tokens, both columns
    mean = float(lengths.sum()) / count
    norm = K1 * (1 - B + B * lengths / mean)
    # libm's log, as FTS5's C calls it (numpy's own may differ in the last bit); its floor for
    # a token in over half the rows
    idf = np.array([max(math.log((count - hits + 0.5) / (hits + 0.5)), 0.0) or 1e-6
                    for hits in sizes.tolist()])
    adds = np.repeat(idf, sizes) * ((tf * (K1 + 1.0)) / (tf + norm[where]))
    cuts = np.cumsum(sizes)[:-1]
    scores = {term: (at, add) for (term, _), at, add in
              zip(found, np.split(where, cuts), np.split(adds, cuts), strict=True)}
    return Terms(generation, np.asarray([r[0] for r in rows], dtype=np.int64), scores)


async def rows(db: Database) -> list[tuple[int, str, str]]:
    """Every ``knowledge_fts`` row: (fact check id, claim, headline)."""
    found = await db.fetchall("SELECT rowid AS id, claim_reviewed, title FROM knowledge_fts")
    return [(int(r["id"]), r["claim_reviewed"] or "", r["title"] or "") for r in found]
