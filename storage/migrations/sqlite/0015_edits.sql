-- Edits and deletes (issue 17).
--
-- in_flight: a delivery job sets it (ClaimDelivery) just before calling
-- the platform, and every recorded outcome clears it. An agent's edit or
-- delete changes a queued reply only while it is 0, with a conditional
-- update on the same row, so exactly one of "changed before the send" and
-- "already sent" happens.
ALTER TABLE deliveries ADD COLUMN in_flight INTEGER NOT NULL DEFAULT 0;
CREATE INDEX deliveries_queued_message ON deliveries (message_id) WHERE state = 'queued';

-- message_revisions keeps what happened to a message after it was
-- written: an agent's edit (body: the text it replaced), a customer's
-- edit (body: the new text, source_id: the edit message), a deletion.
-- Erasing a customer's deleted message empties these bodies too.
CREATE TABLE message_revisions (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    message_id  BIGINT NOT NULL,
    kind        TEXT   NOT NULL,
    body        TEXT   NOT NULL DEFAULT '',
    source_id   BIGINT NOT NULL DEFAULT 0,
    author_id   TEXT   NOT NULL DEFAULT '',
    at_ms       BIGINT NOT NULL
);
CREATE INDEX message_revisions_message ON message_revisions (message_id, id);
