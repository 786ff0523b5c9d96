-- Transactional outbox: events written in the same transaction as the state change they
-- describe; the relay publishes and then deletes them. `id` is the event's UUIDv7, so
-- ordering by it follows creation time.
CREATE TABLE IF NOT EXISTS hrmesh_outbox (
    id TEXT PRIMARY KEY,
    topic TEXT NOT NULL,
    msg_key TEXT NOT NULL,
    headers TEXT NOT NULL,
    payload BYTEA NOT NULL,
    created_at BIGINT NOT NULL
);

-- Inbox: ids of events a consumer has applied, written in the same transaction as the effect.
CREATE TABLE IF NOT EXISTS hrmesh_inbox (
    consumer TEXT NOT NULL,
    event_id TEXT NOT NULL,
    handled_at BIGINT NOT NULL,
    PRIMARY KEY (consumer, event_id)
);
