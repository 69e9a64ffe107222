-- What Meta says each sent message costs (the pricing object of its
-- status webhooks). One row per message: the first status carrying
-- pricing wins (ON CONFLICT DO NOTHING), so retries and later statuses
-- never count a message twice. The team is found through messages and
-- conversations when a report reads it, so a status that beats our own
-- record of the send still counts. country is the recipient's ISO region
-- (for per-country rates), never the number.
CREATE TABLE message_costs (
    external_id    TEXT    PRIMARY KEY,
    inbox          TEXT    NOT NULL,
    pricing_model  TEXT    NOT NULL DEFAULT '',
    category       TEXT    NOT NULL DEFAULT '',
    pricing_type   TEXT    NOT NULL DEFAULT '',
    billable       INTEGER NOT NULL DEFAULT 0,
    charged        INTEGER NOT NULL DEFAULT 0,
    country        TEXT    NOT NULL DEFAULT '',
    at_ms          BIGINT  NOT NULL
);
CREATE INDEX message_costs_at ON message_costs (at_ms);
