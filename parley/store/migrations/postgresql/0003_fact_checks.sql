-- PostgreSQL twin of ../0003_fact_checks.sql. Full-text search is a tsvector expression index
-- ('english' stemming, the counterpart of FTS5's porter tokenizer) instead of FTS5 tables and
-- their triggers: the knowledge base is the fact checks on no claim, a partial index.
-- The sentences' FTS5 index (dropped again by 0006) has no twin.

CREATE INDEX claims_by_sentence ON claims(sentence_id);

ALTER TABLE fact_checks ADD COLUMN status TEXT NOT NULL DEFAULT 'unverified';
ALTER TABLE fact_checks ADD COLUMN matched INTEGER NOT NULL DEFAULT 0;
ALTER TABLE fact_checks ADD COLUMN review_url TEXT;
ALTER TABLE fact_checks ADD COLUMN publisher TEXT NOT NULL DEFAULT '';
ALTER TABLE fact_checks ADD COLUMN appearance TEXT NOT NULL DEFAULT '{}';
ALTER TABLE fact_checks ADD COLUMN date_published TEXT;
CREATE INDEX fact_checks_unlinked ON fact_checks(claim_id) WHERE claim_id IS NULL;

CREATE INDEX factchecks_fts ON fact_checks
    USING gin (to_tsvector('english', claim_reviewed || ' ' || explanation));
CREATE INDEX knowledge_fts ON fact_checks
    USING gin (to_tsvector('english', claim_reviewed)) WHERE claim_id IS NULL;
