"""The knowledge base's words held in memory and scored as SQLite's FTS5 ``bm25`` scores
``knowledge_fts``: the same tokens (FTS5's own tokenizer, run on a private in-memory table),
the same counts and the same formula, without a query to the store on each check."""

from __future__ import annotations

import math
import sqlite3
import threading
from collections.abc import Iterable, Sequence
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

    def index(self, rows: Iterable[tuple[int, str, str]]
              ) -> tuple[list[int], list[tuple[str, int, int]]]:
        """The rows' ids in order, and (token, row index, count in the row) for each token
        of each row."""
        with self._lock:
            self._db.executemany("INSERT INTO d(rowid, claim_reviewed, title) VALUES (?, ?, ?)",
                                 rows)
            ids = [int(r[0]) for r in self._db.execute("SELECT rowid FROM d ORDER BY rowid")]
            row = {rowid: i for i, rowid in enumerate(ids)}
            counts = [(str(term), row[int(doc)], int(n)) for term, doc, n in self._db.execute(
                "SELECT term, doc, count(*) FROM dv GROUP BY term, doc")]
            self._db.execute("DELETE FROM d")
        return ids, counts


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


def build(tokenizer: Tokenizer, rows: Iterable[tuple[int, str, str]], generation: int
          ) -> Terms:
    """The held terms of these ``knowledge_fts`` rows (blocking: for a thread)."""
    ids, counted = tokenizer.index(rows)
    lengths = np.zeros(len(ids), dtype=np.float64)
    grouped: dict[str, tuple[list[int], list[int]]] = {}
    for term, row, n in counted:
        rows_, freqs = grouped.setdefault(term, ([], []))
        rows_.append(row)
        freqs.append(n)
        lengths[row] += n
    count = len(ids)
    mean = float(lengths.sum()) / count if count else 1.0
    norm = K1 * (1 - B + B * lengths / mean)
    scores: dict[str, tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]] = {}
    for term, (found, freq) in grouped.items():
        at = np.asarray(found, dtype=np.int64)
        tf = np.asarray(freq, dtype=np.float64)
        idf = math.log((count - len(at) + 0.5) / (len(at) + 0.5))
        if idf <= 0.0:  # FTS5's floor for a token in over half the rows
            idf = 1e-6
        scores[term] = (at, idf * ((tf * (K1 + 1.0)) / (tf + norm[at])))
    return Terms(generation, np.asarray(ids, dtype=np.int64), scores)


async def rows(db: Database) -> list[tuple[int, str, str]]:
    """Every ``knowledge_fts`` row: (fact check id, claim, headline)."""
    found = await db.fetchall("SELECT rowid AS id, claim_reviewed, title FROM knowledge_fts")
    return [(int(r["id"]), r["claim_reviewed"] or "", r["title"] or "") for r in found]
