package storage

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/switchboard/switchboard/bridge"
)

// ErasePerson is `switchboard contact erase` (GDPR art. 17, LGPD art. 18):
// it removes or blanks every piece of personal data stored about a person
// and their identities, in one transaction, and keeps what metrics and
// reports need (conversations' times, teams, states and assignees;
// messages' direction, kind, status and times; events; CSAT scores).
//
// Identities keep their rows (conversations point at them) with the
// address replaced by "erased:<contact id>": unique, as (channel,
// address) must be, and naming nobody. A later message from the same
// address therefore matches no contact and starts a fresh person.
//
// People merged into this one (merged_into = id) are erased with it: their
// identities, labels, attributes and notes moved to this person at the
// merge, and their CRM webhook lanes (crm:p<their id>) may still hold
// bodies with their full addresses.
//
// The person's conversations that are still open are resolved (the erase
// records a "resolved" event with actor "erase"); the bridge then refuses
// replies to an erased contact. Queued deliveries of their conversations
// are failed with last_error "erased" and stay so: a worker that had
// already called the platform when the erase committed cannot be
// recalled (that one message may still reach the customer or the thread),
// but its outcome no longer rewrites the row (updateDelivSQL).
//
// What it cannot reach: copies already posted in Slack or Discord threads,
// sent to the customer's app, delivered to the CRM webhook, or e-mails
// left in the IMAP mailbox switchboard reads (docs/crm.md).
//
// The erase is recorded in audit_log (action "erase"); the detail holds
// counts only. Each of also runs last in the erase's transaction, so what
// it writes (the CRM webhook's contact.erased, bridge.RecordCRMChangeIn)
// is committed with the erase or not at all.
func (db *DB) ErasePerson(ctx context.Context, id int64, actor string, now time.Time,
	also ...func(context.Context, bridge.Tx) error) (EraseReport, error) {
	var rep EraseReport
	tx, err := db.BeginTxx(ctx, nil)
	if err != nil {
		return rep, fmt.Errorf("begin erase: %w", err)
	}
	defer tx.Rollback()
	var exists int64
	if err := tx.GetContext(ctx, &exists, tx.Rebind(`SELECT id FROM people WHERE id = ?`), id); err != nil {
		return rep, notFound(err, fmt.Sprintf("person %d", id))
	}
	for _, st := range eraseSteps {
		q := strings.NewReplacer("{convs}", eraseConvs, "{msgs}", eraseMsgs, "{lanes}", eraseLanes).Replace(st.sql)
		args := make([]any, strings.Count(q, "?"))
		for i := range args {
			args[i] = id
		}
		if st.now {
			for i := 0; i < len(args)-1; i++ {
				args[i] = toMs(now) // all but the last placeholder are the time
			}
		}
		res, err := tx.ExecContext(ctx, tx.Rebind(q), args...)
		if err != nil {
			return rep, fmt.Errorf("erase person %d: %s: %w", id, st.what, err)
		}
		n, _ := res.RowsAffected()
		rep.add(st.what, n)
	}
	if _, err := tx.ExecContext(ctx, tx.Rebind(insertAuditSQL), "erase", id, actor, rep.String(), toMs(now)); err != nil {
		return rep, fmt.Errorf("audit erase of person %d: %w", id, err)
	}
	for _, fn := range also {
		// No queue: a tool's transaction starts no job; the running
		// server's rescue of stalled lanes picks the rows up.
		if err := fn(ctx, &txRepo{tx: tx, db: db}); err != nil {
			return rep, fmt.Errorf("erase person %d: %w", id, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return rep, fmt.Errorf("commit erase: %w", err)
	}
	return rep, nil
}

// EraseReport counts the rows each step touched.
type EraseReport struct {
	Steps []EraseStep `json:"steps"`
}

// EraseStep is one step's count.
type EraseStep struct {
	What string `json:"what"`
	Rows int64  `json:"rows"`
}

func (r *EraseReport) add(what string, n int64) {
	r.Steps = append(r.Steps, EraseStep{What: what, Rows: n})
}

// String is "what=rows, …" (no personal data: it goes into audit_log).
func (r EraseReport) String() string {
	parts := make([]string, 0, len(r.Steps))
	for _, s := range r.Steps {
		parts = append(parts, fmt.Sprintf("%s=%d", s.What, s.Rows))
	}
	return strings.Join(parts, ", ")
}

// The person's conversations and their messages, as subqueries (each
// "?" is the person's id).
const (
	eraseConvs = `SELECT id FROM conversations WHERE contact_id IN (SELECT id FROM contacts WHERE person_id = ?)`
	eraseMsgs  = `SELECT id FROM messages WHERE conversation_id IN (` + eraseConvs + `)`
	// eraseLanes are the CRM webhook lanes of the person and of everyone
	// merged into them (bridge.CRMLane).
	eraseLanes = `SELECT 'crm:p' || CAST(id AS TEXT) FROM people WHERE id = ? OR merged_into = ?`
)

// eraseSteps run in order; every "?" is the person's id, except, in a step
// marked now, all but the last (the erase's time). The order matters only for
// receipts, found through the messages' external ids before nothing else
// changes them.
var eraseSteps = []struct {
	what string
	sql  string
	now  bool
}{
	{"receipt_errors", `UPDATE receipts SET errors = '' WHERE errors <> '' AND external_id IN (SELECT external_id FROM messages WHERE external_id IS NOT NULL AND id IN ({msgs}))`, false},
	{"reactions", `DELETE FROM reactions WHERE message_id IN ({msgs})`, false},
	{"revisions", `UPDATE message_revisions SET body = '' WHERE message_id IN ({msgs})`, false},
	{"messages", `UPDATE messages SET body = '', payload = '' WHERE conversation_id IN ({convs})`, false},
	// Messenger and Instagram postbacks and unknown messages carry the
	// sender's PSID/IGSID in their external id (metamsg/parse.go): the id
	// is replaced by one naming the row only (unique, as the index wants).
	{"message_ids", `UPDATE messages SET external_id = 'erased:' || CAST(id AS TEXT) WHERE conversation_id IN ({convs}) AND (external_id LIKE 'postback:%' OR external_id LIKE 'unknown:%')`, false},
	// Queued deliveries of their conversations would post or send what was
	// just erased: they are failed (their jobs then find nothing to do).
	{"deliveries_cancelled", `UPDATE deliveries SET state = 'failed', last_error = 'erased' WHERE state = 'queued' AND (conversation_id IN ({convs}) OR lane IN ({lanes}))`, false},
	{"deliveries", `UPDATE deliveries SET payload = '', last_error = CASE WHEN last_error = 'erased' THEN last_error ELSE '' END WHERE conversation_id IN ({convs}) OR lane IN ({lanes})`, false},
	// The event log keeps every kind and time; a CRM change's detail
	// (older versions wrote label and attribute values there) is blanked.
	{"event_details", `UPDATE events SET data = '' WHERE kind = 'contact_changed' AND data <> '' AND conversation_id IN ({convs})`, false},
	// Still-open conversations are resolved: nobody can answer an erased
	// person, and the queue should not wait on them.
	{"resolved_events", `INSERT INTO events (conversation_id, kind, actor, data, at_ms) SELECT id, 'resolved', 'erase', '', ? FROM conversations WHERE state <> 'resolved' AND id IN ({convs})`, true},
	{"conversations_resolved", `UPDATE conversations SET state = 'resolved', resolved_ms = ?, version = version + 1 WHERE state <> 'resolved' AND id IN ({convs})`, true},
	{"csat_comments", `UPDATE csat SET comment = '' WHERE conversation_id IN ({convs})`, false},
	{"ai_drafts", `UPDATE ai_drafts SET text = '', sources = '[]' WHERE conversation_id IN ({convs})`, false},
	{"ai_summaries", `UPDATE conversation_summaries SET text = '' WHERE conversation_id IN ({convs})`, false},
	{"labels", `DELETE FROM person_labels WHERE person_id = ?`, false},
	{"attributes", `DELETE FROM person_attributes WHERE person_id = ?`, false},
	{"notes", `DELETE FROM person_notes WHERE person_id = ?`, false},
	{"identities", `UPDATE contacts SET address = 'erased:' || CAST(id AS TEXT), name = '', phone = '', email = '',
  user_id = '', parent_user_id = '', username = '', language = '' WHERE person_id = ?`, false},
	{"merged_people", `UPDATE people SET erased_ms = ?, updated_ms = ?, name = '', stage = '', version = version + 1 WHERE merged_into = ?`, true},
	{"person", `UPDATE people SET erased_ms = ?, updated_ms = ?, name = '', stage = '', version = version + 1 WHERE id = ?`, true},
}
