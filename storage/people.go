package storage

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/switchboard/switchboard/bridge"
	"github.com/switchboard/switchboard/bridge/contacts"
)

// People: the light CRM's repository (bridge.PeopleTx, issue 12). Every
// change bumps people.version in the same statement batch, so the CRM
// webhook can order what it sends.

const (
	personColumns     = `id, name, stage, merged_into, version, created_ms, updated_ms, erased_ms`
	getPersonSQL      = `SELECT ` + personColumns + ` FROM people WHERE id = ?`
	personIdentSQL    = `SELECT ` + contactColumns + ` FROM contacts WHERE person_id = ? ORDER BY id`
	personLabelsSQL   = `SELECT label FROM person_labels WHERE person_id = ? ORDER BY label`
	personAttrsSQL    = `SELECT name, value FROM person_attributes WHERE person_id = ? ORDER BY name`
	touchPersonSQL    = `UPDATE people SET version = version + 1, updated_ms = ? WHERE id = ?`
	setPersonNameSQL  = `UPDATE people SET name = ?, version = version + 1, updated_ms = ? WHERE id = ?`
	setPersonStageSQL = `UPDATE people SET stage = ?, version = version + 1, updated_ms = ? WHERE id = ?`
	addLabelSQL       = `INSERT INTO person_labels (person_id, label, created_ms) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`
	removeLabelSQL    = `DELETE FROM person_labels WHERE person_id = ? AND label = ?`
	setAttrSQL        = `INSERT INTO person_attributes (person_id, name, value, updated_ms) VALUES (?, ?, ?, ?) ON CONFLICT (person_id, name) DO UPDATE SET value = excluded.value, updated_ms = excluded.updated_ms`
	clearAttrSQL      = `DELETE FROM person_attributes WHERE person_id = ? AND name = ?`
	addPersonNoteSQL  = `INSERT INTO person_notes (person_id, author, body, created_ms) VALUES (?, ?, ?, ?) RETURNING id`
	personNotesSQL    = `SELECT id, person_id, author, body, created_ms FROM person_notes WHERE person_id = ? ORDER BY id DESC LIMIT ?`
	livePeople        = `p.merged_into = 0 AND p.erased_ms = 0`
	findByPhoneSQL    = `SELECT DISTINCT p.id FROM people p JOIN contacts c ON c.person_id = p.id WHERE c.phone = ? AND ` + livePeople + ` ORDER BY p.id LIMIT ?`
	findByEmailSQL    = `SELECT DISTINCT p.id FROM people p JOIN contacts c ON c.person_id = p.id WHERE c.email <> '' AND LOWER(c.email) = ? AND ` + livePeople + ` ORDER BY p.id LIMIT ?`
	findByLabelSQL    = `SELECT p.id FROM people p JOIN person_labels l ON l.person_id = p.id WHERE l.label = ? AND ` + livePeople + ` ORDER BY p.id LIMIT ?`
	findByNameSQL     = `SELECT DISTINCT p.id FROM people p JOIN contacts c ON c.person_id = p.id WHERE (LOWER(p.name) LIKE ? OR LOWER(c.name) LIKE ? OR LOWER(c.username) LIKE ?) AND ` + livePeople + ` ORDER BY p.id LIMIT ?`
	// Merge suggestions run for every status card, so they are two plain
	// indexed lookups: the person's own phones and e-mails, then the
	// other live people with one of them (contacts_phone,
	// contacts_email_lower). One query joining contacts to itself with an
	// OR between phone and e-mail was planned as a scan of every contact
	// (13 ms a card at 2,000 contacts, most of the database's time in the
	// delivery benchmark).
	mergeKeysSQL         = `SELECT phone, LOWER(email) AS email FROM contacts WHERE person_id = ? AND (phone <> '' OR email <> '')`
	mergeByPhonesSQL     = `SELECT DISTINCT p.id FROM contacts c JOIN people p ON p.id = c.person_id WHERE c.phone <> '' AND c.phone IN (?) AND p.id <> ? AND ` + livePeople + ` ORDER BY p.id LIMIT 20`
	mergeByEmailsSQL     = `SELECT DISTINCT p.id FROM contacts c JOIN people p ON p.id = c.person_id WHERE c.email <> '' AND LOWER(c.email) IN (?) AND p.id <> ? AND ` + livePeople + ` ORDER BY p.id LIMIT 20`
	mergeCandidatesLimit = 20 // the LIMIT of both: the first 20 of their union are exact
	// lockLiveSQL takes a person for a merge: the row stays locked until
	// the transaction ends (PostgreSQL), and a person merged or erased
	// meanwhile matches no row, so the later of two racing merges fails.
	lockLiveSQL = `UPDATE people SET version = version + 1, updated_ms = ? WHERE id = ? AND merged_into = 0 AND erased_ms = 0`
	// markMergedSQL also blanks the name and stage just copied (or not
	// wanted) by the kept person: the merged-away row keeps no personal
	// data of its own, so an erase of the kept person leaves none behind.
	markMergedSQL    = `UPDATE people SET merged_into = ?, name = '', stage = '' WHERE id = ?`
	inheritNameSQL   = `UPDATE people SET name = (SELECT name FROM people WHERE id = ?) WHERE id = ? AND name = ''`
	inheritStageSQL  = `UPDATE people SET stage = (SELECT stage FROM people WHERE id = ?) WHERE id = ? AND stage = ''`
	moveIdentsSQL    = `UPDATE contacts SET person_id = ? WHERE person_id = ?`
	copyLabelsSQL    = `INSERT INTO person_labels (person_id, label, created_ms) SELECT ?, label, created_ms FROM person_labels WHERE person_id = ? ON CONFLICT DO NOTHING`
	dropLabelsSQL    = `DELETE FROM person_labels WHERE person_id = ?`
	copyAttrsSQL     = `INSERT INTO person_attributes (person_id, name, value, updated_ms) SELECT ?, name, value, updated_ms FROM person_attributes WHERE person_id = ? ON CONFLICT DO NOTHING`
	dropAttrsSQL     = `DELETE FROM person_attributes WHERE person_id = ?`
	moveNotesSQL     = `UPDATE person_notes SET person_id = ? WHERE person_id = ?`
	repointMergedSQL = `UPDATE people SET merged_into = ? WHERE merged_into = ?`
	personConvsSQL   = `SELECT v.id AS conv_id, c.id AS contact_id FROM conversations v JOIN contacts c ON c.id = v.contact_id WHERE c.person_id = ? ORDER BY v.id DESC LIMIT ?`
)

type personRow struct {
	ID         int64  `db:"id"`
	Name       string `db:"name"`
	Stage      string `db:"stage"`
	MergedInto int64  `db:"merged_into"`
	Version    int64  `db:"version"`
	CreatedMs  int64  `db:"created_ms"`
	UpdatedMs  int64  `db:"updated_ms"`
	ErasedMs   int64  `db:"erased_ms"`
}

// identityOf is the CRM's view of a contacts row.
func identityOf(c bridge.Contact) contacts.Identity {
	return contacts.Identity{ContactID: int64(c.ID), Channel: string(bridge.Channel(c.Channel).OrWhatsApp()),
		Address: string(c.Address), Name: c.Name, Phone: c.Phone, Email: c.Email, Username: c.Username, UserID: c.UserID}
}

func (r *txRepo) GetPerson(ctx context.Context, id bridge.PersonID) (contacts.Person, error) {
	var row personRow
	if err := r.get(ctx, &row, getPersonSQL, int64(id)); err != nil {
		return contacts.Person{}, notFound(err, fmt.Sprintf("person %d", id))
	}
	p := contacts.Person{ID: row.ID, Name: row.Name, Stage: row.Stage, MergedInto: row.MergedInto, Version: row.Version,
		CreatedAt: fromMs(row.CreatedMs), UpdatedAt: fromMs(row.UpdatedMs), ErasedAt: fromMs(row.ErasedMs),
		Attributes: map[string]string{}}
	var idents []contactRow
	if err := r.sel(ctx, &idents, personIdentSQL, row.ID); err != nil {
		return contacts.Person{}, fmt.Errorf("identities of person %d: %w", id, err)
	}
	for _, c := range idents {
		p.Identities = append(p.Identities, identityOf(c.domain()))
	}
	if err := r.sel(ctx, &p.Labels, personLabelsSQL, row.ID); err != nil {
		return contacts.Person{}, fmt.Errorf("labels of person %d: %w", id, err)
	}
	var attrs []struct {
		Name  string `db:"name"`
		Value string `db:"value"`
	}
	if err := r.sel(ctx, &attrs, personAttrsSQL, row.ID); err != nil {
		return contacts.Person{}, fmt.Errorf("attributes of person %d: %w", id, err)
	}
	for _, a := range attrs {
		p.Attributes[a.Name] = a.Value
	}
	return p, nil
}

func (r *txRepo) PersonOfContact(ctx context.Context, id bridge.ContactID) (contacts.Person, error) {
	c, err := r.GetContact(ctx, id)
	if err != nil {
		return contacts.Person{}, err
	}
	return r.GetPerson(ctx, c.PersonID)
}

// change runs one statement about a person and bumps its version; n is
// how many rows the statement changed (the version moves only if some).
func (r *txRepo) change(ctx context.Context, id bridge.PersonID, now time.Time, what, query string, args ...any) (int64, error) {
	res, err := r.exec(ctx, query, args...)
	if err != nil {
		return 0, fmt.Errorf("%s of person %d: %w", what, id, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("%s of person %d: %w", what, id, err)
	}
	if n > 0 {
		if _, err := r.exec(ctx, touchPersonSQL, toMs(now), int64(id)); err != nil {
			return 0, fmt.Errorf("version of person %d: %w", id, err)
		}
	}
	return n, nil
}

func (r *txRepo) SetPersonName(ctx context.Context, id bridge.PersonID, name string, now time.Time) error {
	return r.setOne(ctx, id, "name", setPersonNameSQL, name, toMs(now), int64(id))
}

func (r *txRepo) SetStage(ctx context.Context, id bridge.PersonID, stage string, now time.Time) error {
	return r.setOne(ctx, id, "stage", setPersonStageSQL, stage, toMs(now), int64(id))
}

func (r *txRepo) setOne(ctx context.Context, id bridge.PersonID, what, query string, args ...any) error {
	res, err := r.exec(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("%s of person %d: %w", what, id, err)
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return fmt.Errorf("%s of person %d: %w", what, id, bridge.ErrNotFound)
	}
	return nil
}

func (r *txRepo) AddLabel(ctx context.Context, id bridge.PersonID, label string, now time.Time) (bool, error) {
	n, err := r.change(ctx, id, now, "label", addLabelSQL, int64(id), label, toMs(now))
	return n > 0, err
}

func (r *txRepo) RemoveLabel(ctx context.Context, id bridge.PersonID, label string, now time.Time) (bool, error) {
	n, err := r.change(ctx, id, now, "label", removeLabelSQL, int64(id), label)
	return n > 0, err
}

func (r *txRepo) SetAttribute(ctx context.Context, id bridge.PersonID, name, value string, now time.Time) error {
	_, err := r.change(ctx, id, now, "attribute "+name, setAttrSQL, int64(id), name, value, toMs(now))
	return err
}

func (r *txRepo) ClearAttribute(ctx context.Context, id bridge.PersonID, name string, now time.Time) (bool, error) {
	n, err := r.change(ctx, id, now, "attribute "+name, clearAttrSQL, int64(id), name)
	return n > 0, err
}

func (r *txRepo) AddPersonNote(ctx context.Context, n contacts.Note) (contacts.Note, error) {
	if err := r.get(ctx, &n.ID, addPersonNoteSQL, n.PersonID, n.Author, n.Body, toMs(n.CreatedAt)); err != nil {
		return contacts.Note{}, fmt.Errorf("note about person %d: %w", n.PersonID, err)
	}
	if _, err := r.exec(ctx, touchPersonSQL, toMs(n.CreatedAt), n.PersonID); err != nil {
		return contacts.Note{}, fmt.Errorf("version of person %d: %w", n.PersonID, err)
	}
	return n, nil
}

func (r *txRepo) PersonNotes(ctx context.Context, id bridge.PersonID, limit int) ([]contacts.Note, error) {
	var rows []struct {
		ID        int64  `db:"id"`
		PersonID  int64  `db:"person_id"`
		Author    string `db:"author"`
		Body      string `db:"body"`
		CreatedMs int64  `db:"created_ms"`
	}
	if err := r.sel(ctx, &rows, personNotesSQL, int64(id), limit); err != nil {
		return nil, fmt.Errorf("notes about person %d: %w", id, err)
	}
	out := make([]contacts.Note, len(rows))
	for i, n := range rows {
		out[i] = contacts.Note{ID: n.ID, PersonID: n.PersonID, Author: n.Author, Body: n.Body, CreatedAt: fromMs(n.CreatedMs)}
	}
	return out, nil
}

func (r *txRepo) people(ctx context.Context, query string, args ...any) ([]contacts.Person, error) {
	var ids []int64
	if err := r.sel(ctx, &ids, query, args...); err != nil {
		return nil, fmt.Errorf("find people: %w", err)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	out := make([]contacts.Person, 0, len(ids))
	for _, id := range ids {
		p, err := r.GetPerson(ctx, bridge.PersonID(id))
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// likeEscape keeps an agent's % and _ literal in a LIKE pattern.
var likeEscape = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

func (r *txRepo) FindPeople(ctx context.Context, q contacts.Query, limit int) ([]contacts.Person, error) {
	switch {
	case q.Phone != "":
		return r.people(ctx, findByPhoneSQL, q.Phone, limit)
	case q.Email != "":
		return r.people(ctx, findByEmailSQL, strings.ToLower(q.Email), limit)
	case q.Label != "":
		return r.people(ctx, findByLabelSQL, q.Label, limit)
	case q.Name != "":
		like := "%" + likeEscape.Replace(strings.ToLower(q.Name)) + "%"
		return r.people(ctx, strings.ReplaceAll(findByNameSQL, "LIKE ?", `LIKE ? ESCAPE '\'`), like, like, like, limit)
	}
	return nil, nil
}

func (r *txRepo) MergeCandidates(ctx context.Context, id bridge.PersonID) ([]contacts.Person, error) {
	var keys []struct {
		Phone string `db:"phone"`
		Email string `db:"email"`
	}
	if err := r.sel(ctx, &keys, mergeKeysSQL, int64(id)); err != nil {
		return nil, fmt.Errorf("merge candidates of person %d: %w", id, err)
	}
	var phones, emails []string
	for _, k := range keys {
		if k.Phone != "" {
			phones = append(phones, k.Phone)
		}
		if k.Email != "" {
			emails = append(emails, k.Email)
		}
	}
	found := map[int64]bool{}
	for _, m := range []struct {
		query string
		keys  []string
	}{{mergeByPhonesSQL, phones}, {mergeByEmailsSQL, emails}} {
		if len(m.keys) == 0 {
			continue
		}
		query, args, err := sqlx.In(m.query, m.keys, int64(id))
		if err != nil {
			return nil, err
		}
		var ids []int64
		if err := r.sel(ctx, &ids, query, args...); err != nil {
			return nil, fmt.Errorf("merge candidates of person %d: %w", id, err)
		}
		for _, id := range ids {
			found[id] = true
		}
	}
	ids := make([]int64, 0, len(found))
	for id := range found {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	out := make([]contacts.Person, 0, min(len(ids), mergeCandidatesLimit))
	for _, id := range ids[:min(len(ids), mergeCandidatesLimit)] {
		p, err := r.GetPerson(ctx, bridge.PersonID(id))
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

func (r *txRepo) MergePeople(ctx context.Context, into, from bridge.PersonID, now time.Time) error {
	if into == from {
		return fmt.Errorf("merge person %d into itself: %w", from, bridge.ErrMergeRefused)
	}
	// Lock both rows in id order, so two merges of the same pair in
	// opposite directions queue instead of deadlocking; the second then
	// finds one of them merged and fails.
	first, second := into, from
	if first > second {
		first, second = second, first
	}
	for _, id := range []bridge.PersonID{first, second} {
		res, err := r.exec(ctx, lockLiveSQL, toMs(now), int64(id))
		if err != nil {
			return fmt.Errorf("merge %d into %d: %w", from, into, err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return fmt.Errorf("merge %d into %d: person %d is merged, erased or unknown: %w", from, into, id, bridge.ErrMergeRefused)
		}
	}
	steps := []struct {
		query string
		args  []any
	}{
		{inheritNameSQL, []any{int64(from), int64(into)}},
		{inheritStageSQL, []any{int64(from), int64(into)}},
		{moveIdentsSQL, []any{int64(into), int64(from)}},
		{copyLabelsSQL, []any{int64(into), int64(from)}},
		{dropLabelsSQL, []any{int64(from)}},
		{copyAttrsSQL, []any{int64(into), int64(from)}},
		{dropAttrsSQL, []any{int64(from)}},
		{moveNotesSQL, []any{int64(into), int64(from)}},
		{repointMergedSQL, []any{int64(into), int64(from)}},
		{markMergedSQL, []any{int64(into), int64(from)}},
	}
	for _, s := range steps {
		if _, err := r.exec(ctx, s.query, s.args...); err != nil {
			return fmt.Errorf("merge %d into %d: %w", from, into, err)
		}
	}
	return nil
}

func (r *txRepo) PersonConversations(ctx context.Context, id bridge.PersonID, limit int) ([]bridge.PersonConversation, error) {
	var rows []struct {
		ConvID    int64 `db:"conv_id"`
		ContactID int64 `db:"contact_id"`
	}
	if err := r.sel(ctx, &rows, personConvsSQL, int64(id), limit); err != nil {
		return nil, fmt.Errorf("conversations of person %d: %w", id, err)
	}
	out := make([]bridge.PersonConversation, 0, len(rows))
	for _, row := range rows {
		conv, err := r.GetConversation(ctx, bridge.ConversationID(row.ConvID))
		if err != nil {
			return nil, err
		}
		c, err := r.GetContact(ctx, bridge.ContactID(row.ContactID))
		if err != nil {
			return nil, err
		}
		pc := bridge.PersonConversation{Conversation: conv, Identity: identityOf(c)}
		th, err := r.CurrentThread(ctx, conv.ID)
		switch {
		case err == nil:
			pc.Thread = th.Ref
		case !errors.Is(err, bridge.ErrNotFound):
			return nil, err
		}
		out = append(out, pc)
	}
	return out, nil
}
