-- Many Parley processes on one database: a scheduler's claim on the subscriptions it is
-- working through (a lease, so a killed process's claims expire), named leases for work that
-- one process does at a time (the bridging refit), and whether a shared rate-limit bucket's
-- last take spent a token (processes sharing a database spend from rate_buckets' rows).

ALTER TABLE digest_subscriptions ADD COLUMN claimed_by TEXT NOT NULL DEFAULT '';
ALTER TABLE digest_subscriptions ADD COLUMN claim_expires TEXT NOT NULL DEFAULT '';
CREATE INDEX digest_claimable ON digest_subscriptions(next_run_at) WHERE active = 1;

-- Recording a delivery as sent also gives up the subscription's claim.
DROP TRIGGER digest_delivery_sent;
CREATE TRIGGER digest_delivery_sent AFTER UPDATE OF status ON digest_deliveries
    WHEN new.status = 'sent' AND new.next_run_at IS NOT NULL BEGIN
    UPDATE digest_subscriptions SET next_run_at = new.next_run_at, last_sent_at = new.sent_at,
        claim_expires = '' WHERE id = new.subscription_id;
END;

CREATE TABLE leases (
    name     TEXT PRIMARY KEY,
    holder   TEXT NOT NULL,
    expires  TEXT NOT NULL
);

ALTER TABLE rate_buckets ADD COLUMN spent INTEGER NOT NULL DEFAULT 0;
CREATE INDEX rate_buckets_by_age ON rate_buckets(updated_at);
