-- PostgreSQL twin of ../0010_sentence_vectors.sql.
CREATE TABLE article_vectors (
    article_id  TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    model       TEXT NOT NULL,
    rows        INTEGER NOT NULL,
    vectors     BYTEA NOT NULL
);
