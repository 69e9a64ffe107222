-- Core tables of switchboard. Timestamps are Unix milliseconds (BIGINT) so
-- the same repository code and queries serve PostgreSQL and SQLite.
CREATE TABLE contacts (
    id          BIGSERIAL PRIMARY KEY,
    channel     TEXT   NOT NULL,
    address     TEXT   NOT NULL,
    name        TEXT   NOT NULL DEFAULT '',
    phone       TEXT   NOT NULL DEFAULT '',
    created_ms  BIGINT NOT NULL,
    UNIQUE (channel, address)
);

CREATE TABLE conversations (
    id                 BIGSERIAL PRIMARY KEY,
    contact_id         BIGINT NOT NULL REFERENCES contacts (id),
    inbox              TEXT   NOT NULL,
    team               TEXT   NOT NULL,
    state              TEXT   NOT NULL,
    assignee           TEXT   NOT NULL DEFAULT '',
    version            BIGINT NOT NULL DEFAULT 1,
    opened_ms          BIGINT NOT NULL,
    last_customer_ms   BIGINT NOT NULL DEFAULT 0,
    first_response_ms  BIGINT NOT NULL DEFAULT 0,
    resolved_ms        BIGINT NOT NULL DEFAULT 0,
    previous_id        BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX conversations_contact ON conversations (contact_id, inbox, id);
CREATE INDEX conversations_team_state ON conversations (team, state);
-- At most one open conversation per customer and inbox, even when two
-- webhooks of a new customer race on two replicas.
CREATE UNIQUE INDEX conversations_one_open ON conversations (contact_id, inbox) WHERE state <> 'resolved';

CREATE TABLE threads (
    id               BIGSERIAL PRIMARY KEY,
    conversation_id  BIGINT NOT NULL REFERENCES conversations (id),
    workspace        TEXT   NOT NULL,
    channel_id       TEXT   NOT NULL,
    thread_key       TEXT   NOT NULL DEFAULT '',
    card_key         TEXT   NOT NULL DEFAULT '',
    is_current       BOOLEAN NOT NULL,
    created_ms       BIGINT NOT NULL
);
CREATE INDEX threads_conversation ON threads (conversation_id, id);
CREATE UNIQUE INDEX threads_key ON threads (workspace, channel_id, thread_key) WHERE thread_key <> '';

CREATE TABLE messages (
    id               BIGSERIAL PRIMARY KEY,
    conversation_id  BIGINT NOT NULL REFERENCES conversations (id),
    direction        TEXT   NOT NULL,
    kind             TEXT   NOT NULL,
    body             TEXT   NOT NULL DEFAULT '',
    payload          TEXT   NOT NULL DEFAULT '',
    external_id      TEXT,
    workspace_key    TEXT   NOT NULL DEFAULT '',
    author_id        TEXT   NOT NULL DEFAULT '',
    sent_ms          BIGINT NOT NULL,
    created_ms       BIGINT NOT NULL,
    status           TEXT   NOT NULL,
    failure          TEXT   NOT NULL DEFAULT ''
);
-- A platform retry of the same message (same wamid) changes nothing.
CREATE UNIQUE INDEX messages_external_id ON messages (external_id);
CREATE INDEX messages_workspace_key ON messages (conversation_id, workspace_key);

CREATE TABLE receipts (
    external_id  TEXT   NOT NULL,
    status       TEXT   NOT NULL,
    at_ms        BIGINT NOT NULL,
    reason       TEXT   NOT NULL DEFAULT '',
    errors       TEXT   NOT NULL DEFAULT '',
    PRIMARY KEY (external_id, status)
);

CREATE TABLE processed_events (
    source      TEXT   NOT NULL,
    event_id    TEXT   NOT NULL,
    created_ms  BIGINT NOT NULL,
    PRIMARY KEY (source, event_id)
);

CREATE TABLE events (
    id               BIGSERIAL PRIMARY KEY,
    conversation_id  BIGINT NOT NULL,
    kind             TEXT   NOT NULL,
    actor            TEXT   NOT NULL DEFAULT '',
    data             TEXT   NOT NULL DEFAULT '',
    at_ms            BIGINT NOT NULL
);
CREATE INDEX events_conversation ON events (conversation_id, id);
CREATE INDEX events_kind_at ON events (kind, at_ms);

CREATE TABLE deliveries (
    id               BIGSERIAL PRIMARY KEY,
    conversation_id  BIGINT NOT NULL,
    lane             TEXT   NOT NULL,
    kind             TEXT   NOT NULL,
    message_id       BIGINT NOT NULL DEFAULT 0,
    payload          TEXT   NOT NULL DEFAULT '',
    sort_key         BIGINT NOT NULL,
    not_before_ms    BIGINT NOT NULL,
    state            TEXT   NOT NULL,
    attempts         INTEGER NOT NULL DEFAULT 0,
    last_error       TEXT   NOT NULL DEFAULT '',
    created_ms       BIGINT NOT NULL
);
CREATE INDEX deliveries_lane_head ON deliveries (lane, sort_key, id) WHERE state = 'queued';

CREATE TABLE lanes (
    lane            TEXT PRIMARY KEY,
    holder          TEXT   NOT NULL,
    lease_until_ms  BIGINT NOT NULL
);
