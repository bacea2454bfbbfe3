-- PostgreSQL twin of ../0015_claim_vectors.sql.
CREATE TABLE claim_vectors (
    fact_check_id BIGINT PRIMARY KEY REFERENCES fact_checks(id) ON DELETE CASCADE,
    model TEXT NOT NULL,
    vector BYTEA NOT NULL
);
