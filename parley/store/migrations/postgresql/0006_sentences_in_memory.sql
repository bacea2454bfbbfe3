-- PostgreSQL twin of ../0006_sentences_in_memory.sql: nothing to drop, since the PostgreSQL
-- schema never had the sentences' or the claims' full-text index.
SELECT 1;
