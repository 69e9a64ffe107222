-- Per conversation, the newest customer message already marked read on
-- WhatsApp (blue ticks, bridge/readreceipts.go). A mark-read is enqueued
-- only when it moves this forward, in the transaction of the agent's act,
-- so a second reply, a claim after a reply, a retried event or a replica
-- racing another never marks the same message twice. Ordered like the
-- customer wrote: by sent_ms, then the message's id.
CREATE TABLE read_marks (
    conversation_id  BIGINT NOT NULL PRIMARY KEY REFERENCES conversations (id),
    message_id       BIGINT NOT NULL,
    sent_ms          BIGINT NOT NULL,
    updated_ms       BIGINT NOT NULL
);
