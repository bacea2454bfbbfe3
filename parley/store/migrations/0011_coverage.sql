-- Other coverage (issue #20): each article's coverage profile, an inverted index of its topic
-- terms and names for candidate retrieval, the related articles and the passages of theirs that
-- address its main points (both found at ingestion, so /counterpoint reads, never scans);
-- moderators' outlet leaning overrides; feeds and their items; requests for the other side.

CREATE TABLE coverage_profiles (
    article_id       TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    version          INTEGER NOT NULL,
    body             TEXT NOT NULL,
    vector           BLOB NOT NULL,
    passage_vectors  BLOB NOT NULL,
    indexed_at       TEXT NOT NULL
);

CREATE TABLE coverage_terms (
    term        TEXT NOT NULL,
    article_id  TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    weight      REAL NOT NULL,
    PRIMARY KEY (term, article_id)
);
CREATE INDEX coverage_terms_by_article ON coverage_terms(article_id);

CREATE TABLE coverage_links (
    article_id  TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    other_id    TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    score       REAL NOT NULL,
    same_event  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (article_id, other_id)
);
CREATE INDEX coverage_links_by_other ON coverage_links(other_id);

CREATE TABLE coverage_matches (
    article_id   TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    point        TEXT NOT NULL REFERENCES sentences(id) ON DELETE CASCADE,
    other_id     TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    passage      TEXT NOT NULL REFERENCES sentences(id) ON DELETE CASCADE,
    score        REAL NOT NULL,
    stance       TEXT NOT NULL,
    PRIMARY KEY (article_id, point, other_id)
);
CREATE INDEX coverage_matches_by_other ON coverage_matches(other_id);

CREATE TABLE outlet_leanings (
    outlet      TEXT PRIMARY KEY,
    leaning     TEXT NOT NULL CHECK (leaning IN ('left', 'center', 'right', 'unrated')),
    updated_by  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

CREATE TABLE feeds (
    id               INTEGER PRIMARY KEY,
    url              TEXT NOT NULL UNIQUE,
    title            TEXT NOT NULL DEFAULT '',
    etag             TEXT NOT NULL DEFAULT '',
    last_modified    TEXT NOT NULL DEFAULT '',
    added_by         TEXT NOT NULL,
    added_at         TEXT NOT NULL,
    active           INTEGER NOT NULL DEFAULT 1,
    failures         INTEGER NOT NULL DEFAULT 0,
    last_error       TEXT NOT NULL DEFAULT '',
    disabled_reason  TEXT NOT NULL DEFAULT '',
    next_poll_at     TEXT NOT NULL,
    last_polled_at   TEXT,
    poll_holder      TEXT NOT NULL DEFAULT '',
    poll_lease       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX feeds_due ON feeds(active, next_poll_at);

CREATE TABLE feed_items (
    feed_id        INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
    item_key       TEXT NOT NULL,
    url            TEXT NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('claimed', 'ingested', 'failed', 'skipped')),
    claimed_by     TEXT NOT NULL,
    lease_expires  TEXT NOT NULL,
    attempts       INTEGER NOT NULL DEFAULT 0,
    article_id     TEXT REFERENCES articles(id) ON DELETE SET NULL,
    error          TEXT NOT NULL DEFAULT '',
    seen_at        TEXT NOT NULL,
    PRIMARY KEY (feed_id, item_key)
);
CREATE INDEX feed_items_by_url ON feed_items(url);

CREATE TABLE counterpoint_requests (
    id               INTEGER PRIMARY KEY,
    article_id       TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    claim_id         TEXT NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
    requester        TEXT NOT NULL,
    platform         TEXT NOT NULL,
    workspace        TEXT NOT NULL,
    channel          TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    answered_at      TEXT,
    counterpoint_id  INTEGER REFERENCES counterpoints(id) ON DELETE SET NULL,
    UNIQUE (claim_id, requester)
);
CREATE INDEX counterpoint_requests_open ON counterpoint_requests(answered_at, created_at);

CREATE TABLE rater_factors (
    rater      TEXT PRIMARY KEY,
    factor     REAL NOT NULL,
    ratings    INTEGER NOT NULL,
    fitted_at  TEXT NOT NULL
);
CREATE INDEX articles_by_url ON articles(url);
