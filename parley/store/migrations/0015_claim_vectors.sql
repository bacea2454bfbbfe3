-- /check: each fact check's claim embedded once (at import), tagged with the model that made
-- it, so the knowledge base's vectors are read, not recomputed, when a check needs them.
CREATE TABLE claim_vectors (
    fact_check_id INTEGER PRIMARY KEY REFERENCES fact_checks(id) ON DELETE CASCADE,
    model TEXT NOT NULL,
    vector BLOB NOT NULL
);
