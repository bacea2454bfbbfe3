-- PostgreSQL twin of ../0009_hardening.sql. The salt is 32 random bytes from two random UUIDs
-- (gen_random_uuid is built in since PostgreSQL 13; no pgcrypto needed).

CREATE TABLE instance_secrets (
    name   TEXT PRIMARY KEY,
    value  BYTEA NOT NULL
);
INSERT INTO instance_secrets (name, value)
    VALUES ('author_salt', uuid_send(gen_random_uuid()) || uuid_send(gen_random_uuid()));

ALTER TABLE counterpoints ADD COLUMN author_proof TEXT;

CREATE TABLE rate_buckets (
    scope       TEXT NOT NULL,
    key         TEXT NOT NULL,
    tokens      DOUBLE PRECISION NOT NULL,
    updated_at  DOUBLE PRECISION NOT NULL,  -- Unix time
    PRIMARY KEY (scope, key)
);

CREATE TABLE handled_requests (
    id       TEXT PRIMARY KEY,
    seen_at  DOUBLE PRECISION NOT NULL
);
