-- The reaction each side currently shows on a message (issue 17): the
-- customer's (WhatsApp sends an empty emoji on removal without saying
-- which one went, and one emoji replaces another) and the business's
-- (WhatsApp keeps one reaction per message per sender). Kept here so every
-- replica removes or replaces the right one.
CREATE TABLE reactions (
    message_id  BIGINT NOT NULL, -- messages.id of the message reacted to
    side        TEXT   NOT NULL,
    emoji       TEXT   NOT NULL,
    user_id     TEXT   NOT NULL DEFAULT '',
    at_ms       BIGINT NOT NULL,
    PRIMARY KEY (message_id, side)
);
