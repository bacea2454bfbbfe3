-- Sentence meaning (issue 19): each article's sentence vectors, one row an article, written with
-- the article. `vectors` is the matrix in reading order (parley.core.meaning.vectors packs it);
-- `model` names the embedding model that made it, so vectors from an older model are refilled at
-- start. Portable types only (TEXT, INTEGER, BLOB).
CREATE TABLE article_vectors (
    article_id  TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    model       TEXT NOT NULL,
    rows        INTEGER NOT NULL,
    vectors     BLOB NOT NULL
);
