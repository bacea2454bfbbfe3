-- PostgreSQL twin of ../0004_counterpoints.sql.

ALTER TABLE counterpoints ADD COLUMN pack TEXT;
ALTER TABLE counterpoints ADD COLUMN key TEXT;
CREATE UNIQUE INDEX counterpoints_by_key ON counterpoints(article_id, key) WHERE key IS NOT NULL;
CREATE INDEX counterpoints_by_claim ON counterpoints(claim_id);

CREATE TABLE ratings_v2 (
    counterpoint_id  BIGINT NOT NULL REFERENCES counterpoints(id) ON DELETE CASCADE,
    rater            TEXT NOT NULL,
    value            DOUBLE PRECISION NOT NULL CHECK (value IN (0, 0.5, 1)),
    created_at       TEXT NOT NULL,
    PRIMARY KEY (counterpoint_id, rater)
);
INSERT INTO ratings_v2 (counterpoint_id, rater, value, created_at)
    SELECT counterpoint_id, rater, helpful, created_at FROM ratings;
DROP TABLE ratings;
ALTER TABLE ratings_v2 RENAME TO ratings;
CREATE INDEX ratings_by_rater ON ratings(rater);

CREATE TABLE counterpoint_scores (
    counterpoint_id  BIGINT PRIMARY KEY REFERENCES counterpoints(id) ON DELETE CASCADE,
    intercept        DOUBLE PRECISION NOT NULL,
    factor           DOUBLE PRECISION NOT NULL,
    ratings          INTEGER NOT NULL,
    status           TEXT NOT NULL,
    fitted_at        TEXT NOT NULL
);

CREATE TABLE article_packs (
    article_id  TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    pack        TEXT NOT NULL,
    PRIMARY KEY (article_id, pack)
);
