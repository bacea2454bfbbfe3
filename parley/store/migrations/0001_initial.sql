-- Parley's first schema: articles and their text, claims with full-text search, fact checks,
-- counterpoints and ratings, scoped settings, digests and the moderators' audit log.

CREATE TABLE articles (
    id             TEXT PRIMARY KEY,
    title          TEXT NOT NULL,
    standfirst     TEXT NOT NULL DEFAULT '',
    outlet         TEXT NOT NULL DEFAULT '',
    author         TEXT NOT NULL DEFAULT '',
    published      TEXT,
    url            TEXT,
    source_format  TEXT NOT NULL,
    origin_note    TEXT NOT NULL DEFAULT '',
    content_hash   TEXT NOT NULL UNIQUE,
    word_count     INTEGER NOT NULL DEFAULT 0,
    ingested_at    TEXT NOT NULL
);

CREATE TABLE sections (
    article_id  TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    idx         INTEGER NOT NULL,
    heading     TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (article_id, idx)
);

CREATE TABLE sentences (
    id          TEXT PRIMARY KEY,
    article_id  TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    section     INTEGER NOT NULL,
    idx         INTEGER NOT NULL,
    paragraph   INTEGER NOT NULL,
    text        TEXT NOT NULL,
    UNIQUE (article_id, section, idx),
    FOREIGN KEY (article_id, section) REFERENCES sections(article_id, idx) ON DELETE CASCADE
);

CREATE TABLE claims (
    id           TEXT PRIMARY KEY,
    article_id   TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    sentence_id  TEXT NOT NULL REFERENCES sentences(id) ON DELETE CASCADE,
    number       INTEGER NOT NULL,
    text         TEXT NOT NULL,
    type         TEXT NOT NULL,
    score        REAL NOT NULL,
    figures      TEXT NOT NULL DEFAULT '[]',
    entities     TEXT NOT NULL DEFAULT '[]',
    UNIQUE (article_id, number)
);
CREATE INDEX claims_by_article ON claims(article_id, score DESC);

CREATE VIRTUAL TABLE claims_fts USING fts5(
    text, content='claims', content_rowid='rowid', tokenize='porter unicode61'
);
CREATE TRIGGER claims_ai AFTER INSERT ON claims BEGIN
    INSERT INTO claims_fts(rowid, text) VALUES (new.rowid, new.text);
END;
CREATE TRIGGER claims_ad AFTER DELETE ON claims BEGIN
    INSERT INTO claims_fts(claims_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
END;
CREATE TRIGGER claims_au AFTER UPDATE OF text ON claims BEGIN
    INSERT INTO claims_fts(claims_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
    INSERT INTO claims_fts(rowid, text) VALUES (new.rowid, new.text);
END;

-- Every verdict ever recorded is kept; the newest per claim is the current one.
CREATE TABLE fact_checks (
    id              INTEGER PRIMARY KEY,
    claim_id        TEXT REFERENCES claims(id) ON DELETE SET NULL,
    claim_reviewed  TEXT NOT NULL,
    verdict         TEXT NOT NULL,
    explanation     TEXT NOT NULL DEFAULT '',
    sources         TEXT NOT NULL DEFAULT '[]',
    origin          TEXT NOT NULL DEFAULT 'moderator',
    author          TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL
);
CREATE INDEX fact_checks_by_claim ON fact_checks(claim_id, created_at DESC);

CREATE TABLE counterpoints (
    id             INTEGER PRIMARY KEY,
    article_id     TEXT REFERENCES articles(id) ON DELETE CASCADE,
    claim_id       TEXT REFERENCES claims(id) ON DELETE SET NULL,
    topic          TEXT NOT NULL DEFAULT '',
    text           TEXT NOT NULL,
    evidence       TEXT NOT NULL DEFAULT '',
    sources        TEXT NOT NULL DEFAULT '[]',
    origin         TEXT NOT NULL,
    author         TEXT NOT NULL DEFAULT '',
    hidden         INTEGER NOT NULL DEFAULT 0,
    hidden_reason  TEXT NOT NULL DEFAULT '',
    created_at     TEXT NOT NULL
);
CREATE INDEX counterpoints_by_article ON counterpoints(article_id, hidden);

CREATE TABLE ratings (
    counterpoint_id  INTEGER NOT NULL REFERENCES counterpoints(id) ON DELETE CASCADE,
    rater            TEXT NOT NULL,
    helpful          INTEGER NOT NULL CHECK (helpful IN (0, 1)),
    created_at       TEXT NOT NULL,
    PRIMARY KEY (counterpoint_id, rater)
);

-- Scoped settings with defaults (channel > workspace > global), e.g. the active article.
CREATE TABLE scoped_settings (
    scope     TEXT NOT NULL CHECK (scope IN ('global', 'workspace', 'channel')),
    scope_id  TEXT NOT NULL,
    key       TEXT NOT NULL,
    value     TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (scope, scope_id, key)
);

CREATE TABLE digest_subscriptions (
    id           INTEGER PRIMARY KEY,
    platform     TEXT NOT NULL,
    workspace    TEXT NOT NULL,
    channel      TEXT NOT NULL,
    article_id   TEXT REFERENCES articles(id) ON DELETE SET NULL,
    schedule     TEXT NOT NULL,
    timezone     TEXT NOT NULL,
    next_run_at  TEXT NOT NULL,
    created_by   TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    active       INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX digest_due ON digest_subscriptions(active, next_run_at);

CREATE TABLE digest_deliveries (
    subscription_id  INTEGER NOT NULL REFERENCES digest_subscriptions(id) ON DELETE CASCADE,
    slot             TEXT NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('claimed', 'sent', 'failed')),
    claimed_by       TEXT NOT NULL,
    lease_expires    TEXT NOT NULL,
    attempts         INTEGER NOT NULL DEFAULT 0,
    sent_at          TEXT,
    message_ref      TEXT,
    error            TEXT,
    PRIMARY KEY (subscription_id, slot)
);

CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,
    platform   TEXT NOT NULL,
    workspace  TEXT NOT NULL,
    channel    TEXT NOT NULL,
    actor      TEXT NOT NULL,
    role       TEXT NOT NULL,
    action     TEXT NOT NULL,
    target     TEXT NOT NULL DEFAULT '',
    detail     TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_by_time ON audit_log(at);
