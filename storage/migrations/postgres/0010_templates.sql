-- WhatsApp message templates, synced from each WhatsApp Business
-- Account (GET /{waba-id}/message_templates) and kept up to date by the
-- message_template_status_update and template_category_update webhooks,
-- so every replica offers agents the same list. One row per template and
-- language; a template gone from Meta's list is kept with status DELETED
-- (the thread history still names it).
CREATE TABLE wa_templates (
    account          TEXT   NOT NULL,
    name             TEXT   NOT NULL,
    language         TEXT   NOT NULL,
    template_id      TEXT   NOT NULL DEFAULT '',
    category         TEXT   NOT NULL DEFAULT '',
    status           TEXT   NOT NULL,
    parameter_format TEXT   NOT NULL DEFAULT '',
    components       TEXT   NOT NULL DEFAULT '[]',
    reason           TEXT   NOT NULL DEFAULT '',
    updated_ms       BIGINT NOT NULL,
    PRIMARY KEY (account, name, language)
);
CREATE INDEX wa_templates_by_id ON wa_templates (template_id);

-- Where the sync of each account stands, shared by the replicas: a sync
-- is due once synced_ms is older than the interval, and a failed one is
-- tried again after a backoff counted from attempt_ms.
CREATE TABLE wa_template_syncs (
    account     TEXT    PRIMARY KEY,
    synced_ms   BIGINT  NOT NULL DEFAULT 0,
    attempt_ms  BIGINT  NOT NULL DEFAULT 0,
    failures    INTEGER NOT NULL DEFAULT 0,
    last_error  TEXT    NOT NULL DEFAULT ''
);

-- The language a customer writes in ("es", "pt", "en"; "" unknown), told
-- by their messages or set by an agent: templates and canned responses
-- are offered in it.
ALTER TABLE contacts ADD COLUMN language TEXT NOT NULL DEFAULT '';
