-- Hardening (#23): authorship that survives anonymising, rate-limit buckets that survive a
-- restart, and the platform requests already handled (so a replay or a redelivery runs once).

-- A random salt per database, for keyed hashes of member identities.
CREATE TABLE instance_secrets (
    name   TEXT PRIMARY KEY,
    value  BLOB NOT NULL
);
INSERT INTO instance_secrets (name, value) VALUES ('author_salt', randomblob(32));

-- HMAC-SHA256(salt, author) kept when /forget-me anonymises a counterpoint, so its author
-- still cannot rate it; the author's identity itself is gone.
ALTER TABLE counterpoints ADD COLUMN author_proof TEXT;

CREATE TABLE rate_buckets (
    scope       TEXT NOT NULL,
    key         TEXT NOT NULL,
    tokens      REAL NOT NULL,
    updated_at  REAL NOT NULL,  -- Unix time
    PRIMARY KEY (scope, key)
) WITHOUT ROWID;

CREATE TABLE handled_requests (
    id       TEXT PRIMARY KEY,  -- platform:kind:id (a Slack request, a Discord interaction)
    seen_at  REAL NOT NULL      -- Unix time; rows older than the replay window are pruned
) WITHOUT ROWID;
