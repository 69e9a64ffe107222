package storage

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/switchboard/switchboard/bridge"
	"github.com/switchboard/switchboard/bridge/contacts"
)

// Reading a person whole, for the CRM webhook's body (CRMPerson) and for
// `switchboard contact export` (ExportPerson). These are this file's own
// queries, kept apart from the people repository (people.go) so the two
// evolve independently; both read the tables of 0020_channels_people.sql.

const (
	crmPersonSQL     = `SELECT id, name, stage, merged_into, version, created_ms, updated_ms, erased_ms FROM people WHERE id = ?`
	crmLabelsSQL     = `SELECT label FROM person_labels WHERE person_id = ? ORDER BY label`
	crmAttributesSQL = `SELECT name, value FROM person_attributes WHERE person_id = ? ORDER BY name`
	crmIdentitiesSQL = `SELECT ` + contactColumns + ` FROM contacts WHERE person_id = ? ORDER BY id`
	crmNotesSQL      = `SELECT id, author, body, created_ms FROM person_notes WHERE person_id = ? ORDER BY id`
)

type personRowX struct {
	ID         int64  `db:"id"`
	Name       string `db:"name"`
	Stage      string `db:"stage"`
	MergedInto int64  `db:"merged_into"`
	Version    int64  `db:"version"`
	CreatedMs  int64  `db:"created_ms"`
	UpdatedMs  int64  `db:"updated_ms"`
	ErasedMs   int64  `db:"erased_ms"`
}

type attrRowX struct {
	Name  string `db:"name"`
	Value string `db:"value"`
}

type noteRowX struct {
	ID        int64  `db:"id"`
	Author    string `db:"author"`
	Body      string `db:"body"`
	CreatedMs int64  `db:"created_ms"`
}

// queryer is what both a transaction and the database can read with.
type queryer interface {
	sqlx.QueryerContext
	Rebind(string) string
}

// readPerson reads a person with labels, attributes and identities.
func readPerson(ctx context.Context, q queryer, id int64) (contacts.Person, []bridge.Contact, error) {
	var row personRowX
	if err := sqlx.GetContext(ctx, q, &row, q.Rebind(crmPersonSQL), id); err != nil {
		return contacts.Person{}, nil, notFound(err, fmt.Sprintf("person %d", id))
	}
	p := contacts.Person{ID: row.ID, Name: row.Name, Stage: row.Stage, MergedInto: row.MergedInto, Version: row.Version,
		CreatedAt: fromMs(row.CreatedMs), UpdatedAt: fromMs(row.UpdatedMs), ErasedAt: fromMs(row.ErasedMs),
		Attributes: map[string]string{}}
	if err := sqlx.SelectContext(ctx, q, &p.Labels, q.Rebind(crmLabelsSQL), id); err != nil {
		return p, nil, fmt.Errorf("labels of person %d: %w", id, err)
	}
	var attrs []attrRowX
	if err := sqlx.SelectContext(ctx, q, &attrs, q.Rebind(crmAttributesSQL), id); err != nil {
		return p, nil, fmt.Errorf("attributes of person %d: %w", id, err)
	}
	for _, a := range attrs {
		p.Attributes[a.Name] = a.Value
	}
	var rows []contactRow
	if err := sqlx.SelectContext(ctx, q, &rows, q.Rebind(crmIdentitiesSQL), id); err != nil {
		return p, nil, fmt.Errorf("identities of person %d: %w", id, err)
	}
	cs := make([]bridge.Contact, 0, len(rows))
	for _, r := range rows {
		c := r.domain()
		cs = append(cs, c)
		p.Identities = append(p.Identities, contacts.Identity{ContactID: int64(c.ID), Channel: string(c.Channel),
			Address: string(c.Address), Name: c.Name, Phone: c.Phone, Email: c.Email, Username: c.Username, UserID: c.UserID})
	}
	return p, cs, nil
}

// CRMPerson implements bridge.CRMTx.
func (r *txRepo) CRMPerson(ctx context.Context, id bridge.PersonID) (contacts.Person, error) {
	p, _, err := readPerson(ctx, r.tx, int64(id))
	return p, err
}

var _ bridge.CRMTx = (*txRepo)(nil)

// PersonExport is everything stored about one person
// (`switchboard contact export`, docs/crm.md).
type PersonExport struct {
	ExportedAt    time.Time              `json:"exported_at"`
	Person        ExportedPerson         `json:"person"`
	Identities    []ExportedIdentity     `json:"identities"`
	Notes         []ExportedNote         `json:"notes"`
	Conversations []ExportedConversation `json:"conversations"`
}

// ExportedPerson is the people row with its labels and attributes.
type ExportedPerson struct {
	ID         int64             `json:"id"`
	Name       string            `json:"name"`
	Stage      string            `json:"stage"`
	Labels     []string          `json:"labels"`
	Attributes map[string]string `json:"attributes"`
	MergedInto int64             `json:"merged_into,omitempty"`
	CreatedAt  time.Time         `json:"created_at"`
	UpdatedAt  time.Time         `json:"updated_at"`
	ErasedAt   *time.Time        `json:"erased_at,omitempty"`
}

// ExportedIdentity is one contacts row of the person.
type ExportedIdentity struct {
	ID           int64     `json:"id"`
	Channel      string    `json:"channel"`
	Address      string    `json:"address"`
	Name         string    `json:"name"`
	Phone        string    `json:"phone"`
	Email        string    `json:"email"`
	Username     string    `json:"username"`
	UserID       string    `json:"user_id"`
	ParentUserID string    `json:"parent_user_id"`
	Language     string    `json:"language"`
	CreatedAt    time.Time `json:"created_at"`
}

// ExportedNote is an agent's private note about the person.
type ExportedNote struct {
	Author    string    `json:"author"`
	Body      string    `json:"body"`
	CreatedAt time.Time `json:"created_at"`
}

// ExportedConversation is one conversation with what was said in it.
type ExportedConversation struct {
	ID              int64             `json:"id"`
	Channel         string            `json:"channel"`
	Inbox           string            `json:"inbox"`
	Team            string            `json:"team"`
	State           string            `json:"state"`
	Assignee        string            `json:"assignee"`
	OpenedAt        time.Time         `json:"opened_at"`
	FirstResponseAt *time.Time        `json:"first_response_at,omitempty"`
	ResolvedAt      *time.Time        `json:"resolved_at,omitempty"`
	Messages        []ExportedMessage `json:"messages"`
	CSAT            *ExportedCSAT     `json:"csat,omitempty"`
	Summaries       []ExportedAIText  `json:"ai_summaries"`
	Drafts          []ExportedAIText  `json:"ai_drafts"`
}

// ExportedMessage is one stored message (either direction).
type ExportedMessage struct {
	Direction string    `json:"direction"`
	Kind      string    `json:"kind"`
	Body      string    `json:"body"`
	Author    string    `json:"author,omitempty"`
	Status    string    `json:"status"`
	SentAt    time.Time `json:"sent_at"`
	CreatedAt time.Time `json:"created_at"`
}

// ExportedCSAT is the satisfaction survey's answer.
type ExportedCSAT struct {
	Score      int        `json:"score"`
	Comment    string     `json:"comment"`
	SentAt     time.Time  `json:"sent_at"`
	AnsweredAt *time.Time `json:"answered_at,omitempty"`
}

// ExportedAIText is an AI summary or draft.
type ExportedAIText struct {
	Kind      string    `json:"kind"` // the summary's reason or the draft's state
	Text      string    `json:"text"`
	CreatedAt time.Time `json:"created_at"`
}

const (
	exportConvsSQL = `SELECT ` + conversationColumns + ` FROM conversations
WHERE contact_id IN (SELECT id FROM contacts WHERE person_id = ?) ORDER BY id`
	exportMessagesSQL  = `SELECT direction, kind, body, author_id, status, sent_ms, created_ms FROM messages WHERE conversation_id = ? ORDER BY sent_ms, id`
	exportCSATSQL      = `SELECT score, comment, sent_ms, answered_ms FROM csat WHERE conversation_id = ?`
	exportSummariesSQL = `SELECT reason AS kind, text, created_ms FROM conversation_summaries WHERE conversation_id = ? ORDER BY id`
	exportDraftsSQL    = `SELECT state AS kind, text, created_ms FROM ai_drafts WHERE conversation_id = ? ORDER BY id`
	insertAuditSQL     = `INSERT INTO audit_log (action, person_id, actor, detail, at_ms) VALUES (?, ?, ?, ?, ?)`
)

type exportMessageRow struct {
	Direction string `db:"direction"`
	Kind      string `db:"kind"`
	Body      string `db:"body"`
	AuthorID  string `db:"author_id"`
	Status    string `db:"status"`
	SentMs    int64  `db:"sent_ms"`
	CreatedMs int64  `db:"created_ms"`
}

type exportCSATRow struct {
	Score      int    `db:"score"`
	Comment    string `db:"comment"`
	SentMs     int64  `db:"sent_ms"`
	AnsweredMs int64  `db:"answered_ms"`
}

type exportAIRow struct {
	Kind      string `db:"kind"`
	Text      string `db:"text"`
	CreatedMs int64  `db:"created_ms"`
}

func optTime(ms int64) *time.Time {
	if ms == 0 {
		return nil
	}
	t := fromMs(ms)
	return &t
}

// ExportPerson reads everything stored about person id and records the
// export in audit_log (action "export", by actor) in the same
// transaction. bridge.ErrNotFound when there is no such person.
func (db *DB) ExportPerson(ctx context.Context, id int64, actor string, now time.Time) (PersonExport, error) {
	var out PersonExport
	tx, err := db.BeginTxx(ctx, nil)
	if err != nil {
		return out, fmt.Errorf("begin export: %w", err)
	}
	defer tx.Rollback()
	p, cs, err := readPerson(ctx, tx, id)
	if err != nil {
		return out, err
	}
	out.ExportedAt = now.UTC()
	out.Person = ExportedPerson{ID: p.ID, Name: p.Name, Stage: p.Stage, Labels: p.Labels, Attributes: p.Attributes,
		MergedInto: p.MergedInto, CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt, ErasedAt: optTime(toMs(p.ErasedAt))}
	if out.Person.Labels == nil {
		out.Person.Labels = []string{}
	}
	out.Identities = []ExportedIdentity{}
	for _, c := range cs {
		out.Identities = append(out.Identities, ExportedIdentity{ID: int64(c.ID), Channel: string(c.Channel),
			Address: string(c.Address), Name: c.Name, Phone: c.Phone, Email: c.Email, Username: c.Username,
			UserID: c.UserID, ParentUserID: c.ParentUserID, Language: c.Language, CreatedAt: c.CreatedAt})
	}
	var notes []noteRowX
	if err := tx.SelectContext(ctx, &notes, tx.Rebind(crmNotesSQL), id); err != nil {
		return out, fmt.Errorf("notes of person %d: %w", id, err)
	}
	out.Notes = []ExportedNote{}
	for _, n := range notes {
		out.Notes = append(out.Notes, ExportedNote{Author: n.Author, Body: n.Body, CreatedAt: fromMs(n.CreatedMs)})
	}
	var convs []conversationRow
	if err := tx.SelectContext(ctx, &convs, tx.Rebind(exportConvsSQL), id); err != nil {
		return out, fmt.Errorf("conversations of person %d: %w", id, err)
	}
	out.Conversations = []ExportedConversation{}
	for _, cr := range convs {
		c := cr.domain()
		ec := ExportedConversation{ID: int64(c.ID), Channel: string(c.Channel), Inbox: string(c.Inbox), Team: c.Team,
			State: string(c.State), Assignee: c.Assignee, OpenedAt: c.OpenedAt,
			FirstResponseAt: optTime(cr.FirstResponseMs), ResolvedAt: optTime(cr.ResolvedMs),
			Messages: []ExportedMessage{}, Summaries: []ExportedAIText{}, Drafts: []ExportedAIText{}}
		var msgs []exportMessageRow
		if err := tx.SelectContext(ctx, &msgs, tx.Rebind(exportMessagesSQL), cr.ID); err != nil {
			return out, fmt.Errorf("messages of conversation %d: %w", cr.ID, err)
		}
		for _, m := range msgs {
			ec.Messages = append(ec.Messages, ExportedMessage{Direction: m.Direction, Kind: m.Kind, Body: m.Body,
				Author: m.AuthorID, Status: m.Status, SentAt: fromMs(m.SentMs), CreatedAt: fromMs(m.CreatedMs)})
		}
		var cs []exportCSATRow
		if err := tx.SelectContext(ctx, &cs, tx.Rebind(exportCSATSQL), cr.ID); err != nil {
			return out, fmt.Errorf("csat of conversation %d: %w", cr.ID, err)
		}
		for _, s := range cs {
			ec.CSAT = &ExportedCSAT{Score: s.Score, Comment: s.Comment, SentAt: fromMs(s.SentMs), AnsweredAt: optTime(s.AnsweredMs)}
		}
		for _, q := range []struct {
			sql string
			to  *[]ExportedAIText
		}{{exportSummariesSQL, &ec.Summaries}, {exportDraftsSQL, &ec.Drafts}} {
			var rows []exportAIRow
			if err := tx.SelectContext(ctx, &rows, tx.Rebind(q.sql), cr.ID); err != nil {
				return out, fmt.Errorf("AI texts of conversation %d: %w", cr.ID, err)
			}
			for _, r := range rows {
				*q.to = append(*q.to, ExportedAIText{Kind: r.Kind, Text: r.Text, CreatedAt: fromMs(r.CreatedMs)})
			}
		}
		out.Conversations = append(out.Conversations, ec)
	}
	sort.Strings(out.Person.Labels)
	detail := fmt.Sprintf("conversations=%d", len(out.Conversations))
	if _, err := tx.ExecContext(ctx, tx.Rebind(insertAuditSQL), "export", id, actor, detail, toMs(now)); err != nil {
		return out, fmt.Errorf("audit export of person %d: %w", id, err)
	}
	if err := tx.Commit(); err != nil {
		return out, fmt.Errorf("commit export: %w", err)
	}
	return out, nil
}

// AuditEntry is one audit_log row.
type AuditEntry struct {
	Action   string    `json:"action"`
	PersonID int64     `json:"person_id"`
	Actor    string    `json:"actor"`
	Detail   string    `json:"detail"`
	At       time.Time `json:"at"`
}

// PersonAudit lists the audit entries of a person, oldest first.
func (db *DB) PersonAudit(ctx context.Context, id int64) ([]AuditEntry, error) {
	var rows []struct {
		Action   string `db:"action"`
		PersonID int64  `db:"person_id"`
		Actor    string `db:"actor"`
		Detail   string `db:"detail"`
		AtMs     int64  `db:"at_ms"`
	}
	err := db.SelectContext(ctx, &rows, db.Rebind(`SELECT action, person_id, actor, detail, at_ms FROM audit_log WHERE person_id = ? ORDER BY id`), id)
	if err != nil {
		return nil, fmt.Errorf("audit of person %d: %w", id, err)
	}
	out := make([]AuditEntry, 0, len(rows))
	for _, r := range rows {
		out = append(out, AuditEntry{Action: r.Action, PersonID: r.PersonID, Actor: r.Actor, Detail: r.Detail, At: fromMs(r.AtMs)})
	}
	return out, nil
}
