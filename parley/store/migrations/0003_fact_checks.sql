-- Fact lookups and the fact-check workflow: full-text search over every sentence (keyed by
-- article) and over the fact-check knowledge base; richer fact-check records.

-- Every sentence is indexed under its own rowid. An article's sentences are inserted together,
-- in one transaction, so they occupy one rowid range: a lookup restricts FTS5 to that range,
-- and its cost follows the article's size, not the store's.
CREATE VIRTUAL TABLE sentences_fts USING fts5(text, content='sentences', content_rowid='rowid',
                                              tokenize='porter unicode61');
INSERT INTO sentences_fts(sentences_fts) VALUES ('rebuild');
CREATE TRIGGER sentences_ai AFTER INSERT ON sentences BEGIN
    INSERT INTO sentences_fts(rowid, text) VALUES (new.rowid, new.text);
END;
CREATE TRIGGER sentences_ad AFTER DELETE ON sentences BEGIN
    INSERT INTO sentences_fts(sentences_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
END;

CREATE INDEX claims_by_sentence ON claims(sentence_id);

ALTER TABLE fact_checks ADD COLUMN status TEXT NOT NULL DEFAULT 'unverified';
ALTER TABLE fact_checks ADD COLUMN matched INTEGER NOT NULL DEFAULT 0;
ALTER TABLE fact_checks ADD COLUMN review_url TEXT;
ALTER TABLE fact_checks ADD COLUMN publisher TEXT NOT NULL DEFAULT '';
ALTER TABLE fact_checks ADD COLUMN appearance TEXT NOT NULL DEFAULT '{}';
ALTER TABLE fact_checks ADD COLUMN date_published TEXT;
CREATE INDEX fact_checks_unlinked ON fact_checks(claim_id) WHERE claim_id IS NULL;

CREATE VIRTUAL TABLE factchecks_fts USING fts5(
    claim_reviewed, explanation, content='fact_checks', content_rowid='id',
    tokenize='porter unicode61'
);
CREATE TRIGGER fact_checks_ai AFTER INSERT ON fact_checks BEGIN
    INSERT INTO factchecks_fts(rowid, claim_reviewed, explanation)
        VALUES (new.id, new.claim_reviewed, new.explanation);
END;
CREATE TRIGGER fact_checks_ad AFTER DELETE ON fact_checks BEGIN
    INSERT INTO factchecks_fts(factchecks_fts, rowid, claim_reviewed, explanation)
        VALUES ('delete', old.id, old.claim_reviewed, old.explanation);
END;

-- The knowledge base: reviews on no stored claim, searched by /fact; kept small and separate so
-- a lookup never ranks the store's every fact check.
CREATE VIRTUAL TABLE knowledge_fts USING fts5(claim_reviewed, tokenize='porter unicode61');
CREATE TRIGGER knowledge_ai AFTER INSERT ON fact_checks WHEN new.claim_id IS NULL BEGIN
    INSERT INTO knowledge_fts(rowid, claim_reviewed) VALUES (new.id, new.claim_reviewed);
END;
CREATE TRIGGER knowledge_ad AFTER DELETE ON fact_checks WHEN old.claim_id IS NULL BEGIN
    DELETE FROM knowledge_fts WHERE rowid = old.id;
END;
CREATE TRIGGER knowledge_au AFTER UPDATE OF claim_id ON fact_checks
    WHEN old.claim_id IS NULL AND new.claim_id IS NOT NULL BEGIN
    DELETE FROM knowledge_fts WHERE rowid = old.id;
END;
