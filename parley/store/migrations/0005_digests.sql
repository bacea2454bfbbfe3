-- Digests: a readable schedule label, when the last digest went out, why a subscription was
-- disabled; and the activity digests report (commands used, questions asked).

ALTER TABLE digest_subscriptions ADD COLUMN label TEXT NOT NULL DEFAULT '';
ALTER TABLE digest_subscriptions ADD COLUMN last_sent_at TEXT;
ALTER TABLE digest_subscriptions ADD COLUMN disabled_reason TEXT NOT NULL DEFAULT '';

CREATE TABLE activity (
    id         INTEGER PRIMARY KEY,
    platform   TEXT NOT NULL,
    workspace  TEXT NOT NULL,
    channel    TEXT NOT NULL,
    command    TEXT NOT NULL,
    question   TEXT NOT NULL DEFAULT '',
    at         TEXT NOT NULL
);
CREATE INDEX activity_by_channel ON activity(platform, workspace, channel, at);

-- Recording a delivery as sent moves its subscription to the following slot in the same
-- statement (atomic, one round trip): the delivery row carries that slot.
ALTER TABLE digest_deliveries ADD COLUMN next_run_at TEXT;
CREATE TRIGGER digest_delivery_sent AFTER UPDATE OF status ON digest_deliveries
    WHEN new.status = 'sent' AND new.next_run_at IS NOT NULL BEGIN
    UPDATE digest_subscriptions SET next_run_at = new.next_run_at, last_sent_at = new.sent_at
        WHERE id = new.subscription_id;
END;
