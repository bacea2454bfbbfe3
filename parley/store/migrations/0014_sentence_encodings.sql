-- The sentence encoder's vectors (issue 19), one row an article, beside the static model's
-- (article_vectors). Written after the article is stored and answerable, by the worker pool, so
-- ingestion does not wait for them; `model` names the encoder, so another encoder's are
-- refilled. Portable types only (TEXT, INTEGER, BLOB).
CREATE TABLE article_encodings (
    article_id  TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    model       TEXT NOT NULL,
    rows        INTEGER NOT NULL,
    vectors     BLOB NOT NULL
);
