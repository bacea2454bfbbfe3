-- PostgreSQL twin of ../0014_sentence_encodings.sql.
CREATE TABLE article_encodings (
    article_id  TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    model       TEXT NOT NULL,
    rows        INTEGER NOT NULL,
    vectors     BYTEA NOT NULL
);
