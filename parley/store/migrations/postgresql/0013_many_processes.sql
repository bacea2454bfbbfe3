-- PostgreSQL twin of ../0008_many_processes.sql.

ALTER TABLE digest_subscriptions ADD COLUMN claimed_by TEXT NOT NULL DEFAULT '';
ALTER TABLE digest_subscriptions ADD COLUMN claim_expires TEXT NOT NULL DEFAULT '';
CREATE INDEX digest_claimable ON digest_subscriptions(next_run_at) WHERE active = 1;

CREATE OR REPLACE FUNCTION digest_delivery_sent() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.status = 'sent' AND NEW.next_run_at IS NOT NULL THEN
        UPDATE digest_subscriptions SET next_run_at = NEW.next_run_at,
            last_sent_at = NEW.sent_at, claim_expires = '' WHERE id = NEW.subscription_id;
    END IF;
    RETURN NEW;
END
$$;

CREATE TABLE leases (
    name     TEXT PRIMARY KEY,
    holder   TEXT NOT NULL,
    expires  TEXT NOT NULL
);

ALTER TABLE rate_buckets ADD COLUMN spent INTEGER NOT NULL DEFAULT 0;
CREATE INDEX rate_buckets_by_age ON rate_buckets(updated_at);
