-- Customer channels and people (issue 12).
--
-- A conversation keeps the channel of the inbox it started on (its rules:
-- window, templates). Rows from before channels existed are WhatsApp.
ALTER TABLE conversations ADD COLUMN channel TEXT NOT NULL DEFAULT 'whatsapp';

-- A contacts row is one identity of a person on one channel: the address
-- replies go to. person_id says whose (people.id); storage creates the
-- person with the contact. user_id, parent_user_id and username are
-- WhatsApp's business-scoped user id (BSUID), parent BSUID and the
-- customer's username; email is the customer's e-mail address.
ALTER TABLE contacts ADD COLUMN person_id BIGINT NOT NULL DEFAULT 0;
ALTER TABLE contacts ADD COLUMN user_id TEXT NOT NULL DEFAULT '';
ALTER TABLE contacts ADD COLUMN parent_user_id TEXT NOT NULL DEFAULT '';
ALTER TABLE contacts ADD COLUMN username TEXT NOT NULL DEFAULT '';
ALTER TABLE contacts ADD COLUMN email TEXT NOT NULL DEFAULT '';
CREATE INDEX contacts_person ON contacts (person_id);
CREATE UNIQUE INDEX contacts_user_id ON contacts (channel, user_id) WHERE user_id <> '';
CREATE INDEX contacts_phone ON contacts (phone) WHERE phone <> '';
CREATE INDEX contacts_email ON contacts (email) WHERE email <> '';

-- A person is what agents call a contact (bridge/contacts): one human
-- with identities on several channels, a name an agent may set (empty:
-- the identities' profile names show), a pipeline stage, labels,
-- attributes and private notes. merged_into is the person this one was
-- merged into (its identities moved there; 0 otherwise); erased_ms when
-- its personal data was erased (GDPR/LGPD). version increases on every
-- change, for the CRM webhook's ordering.
CREATE TABLE people (
    id          BIGSERIAL PRIMARY KEY,
    name        TEXT   NOT NULL DEFAULT '',
    stage       TEXT   NOT NULL DEFAULT '',
    merged_into BIGINT NOT NULL DEFAULT 0,
    version     BIGINT NOT NULL DEFAULT 1,
    created_ms  BIGINT NOT NULL,
    updated_ms  BIGINT NOT NULL,
    erased_ms   BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE person_labels (
    person_id  BIGINT NOT NULL,
    label      TEXT   NOT NULL,
    created_ms BIGINT NOT NULL,
    PRIMARY KEY (person_id, label)
);
CREATE INDEX person_labels_label ON person_labels (label);

-- Attribute values are stored as text in a canonical form of their type
-- (number: as parsed, date: YYYY-MM-DD); contacts.attributes in the
-- configuration declares the types.
CREATE TABLE person_attributes (
    person_id  BIGINT NOT NULL,
    name       TEXT   NOT NULL,
    value      TEXT   NOT NULL,
    updated_ms BIGINT NOT NULL,
    PRIMARY KEY (person_id, name)
);

CREATE TABLE person_notes (
    id         BIGSERIAL PRIMARY KEY,
    person_id  BIGINT NOT NULL,
    author     TEXT   NOT NULL,
    body       TEXT   NOT NULL,
    created_ms BIGINT NOT NULL
);
CREATE INDEX person_notes_person ON person_notes (person_id, id);

-- Every existing contact becomes its own person, with the same id.
INSERT INTO people (id, created_ms, updated_ms) SELECT id, created_ms, created_ms FROM contacts;
UPDATE contacts SET person_id = id;
SELECT setval(pg_get_serial_sequence('people', 'id'), COALESCE((SELECT MAX(id) FROM people), 0) + 1, false);
