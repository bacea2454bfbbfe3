-- /check: a fact check's own headline (ClaimReview's name, searched with the claim), and the
-- moderators' queue of messages members asked them to check, with everyone who asked.

ALTER TABLE fact_checks ADD COLUMN title TEXT NOT NULL DEFAULT '';

DROP TRIGGER knowledge_ai;
DROP TRIGGER knowledge_ad;
DROP TRIGGER knowledge_au;
DROP TABLE knowledge_fts;
CREATE VIRTUAL TABLE knowledge_fts USING fts5(claim_reviewed, title,
                                              tokenize='porter unicode61');
INSERT INTO knowledge_fts(rowid, claim_reviewed, title)
    SELECT id, claim_reviewed, title FROM fact_checks WHERE claim_id IS NULL;
CREATE TRIGGER knowledge_ai AFTER INSERT ON fact_checks WHEN new.claim_id IS NULL BEGIN
    INSERT INTO knowledge_fts(rowid, claim_reviewed, title)
        VALUES (new.id, new.claim_reviewed, new.title);
END;
CREATE TRIGGER knowledge_ad AFTER DELETE ON fact_checks WHEN old.claim_id IS NULL BEGIN
    DELETE FROM knowledge_fts WHERE rowid = old.id;
END;
CREATE TRIGGER knowledge_au AFTER UPDATE OF claim_id ON fact_checks
    WHEN old.claim_id IS NULL AND new.claim_id IS NOT NULL BEGIN
    DELETE FROM knowledge_fts WHERE rowid = old.id;
END;

-- One row per distinct text asked about (keyed by its folded wording); answered once a
-- moderator records a verdict, which then lives in fact_checks like any other.
CREATE TABLE check_requests (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    text TEXT NOT NULL,
    platform TEXT NOT NULL,
    workspace TEXT NOT NULL,
    channel TEXT NOT NULL,
    created_at TEXT NOT NULL,
    fact_check_id INTEGER REFERENCES fact_checks(id) ON DELETE SET NULL,
    answered_at TEXT
);
-- Everyone who asked; told_at is set once the answer has been shown to them.
CREATE TABLE check_requesters (
    request_id INTEGER NOT NULL REFERENCES check_requests(id) ON DELETE CASCADE,
    platform TEXT NOT NULL,
    workspace TEXT NOT NULL,
    user TEXT NOT NULL,
    channel TEXT NOT NULL,
    asked_at TEXT NOT NULL,
    told_at TEXT,
    PRIMARY KEY (request_id, platform, workspace, user)
);
CREATE INDEX check_requesters_untold ON check_requesters(platform, workspace, user)
    WHERE told_at IS NULL;
