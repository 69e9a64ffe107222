package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/switchboard/switchboard/bridge"
	"github.com/switchboard/switchboard/bridge/templates"
)

const (
	templateColumns   = `account, name, language, template_id, category, status, parameter_format, components, reason, updated_ms`
	listTemplatesSQL  = `SELECT ` + templateColumns + ` FROM wa_templates WHERE account = ? ORDER BY name, language`
	getTemplateSQL    = `SELECT ` + templateColumns + ` FROM wa_templates WHERE account = ? AND name = ? AND language = ?`
	templateByIDSQL   = `SELECT ` + templateColumns + ` FROM wa_templates WHERE account = ? AND template_id = ?`
	upsertTemplateSQL = `INSERT INTO wa_templates (` + templateColumns + `) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (account, name, language) DO UPDATE SET template_id = excluded.template_id, category = excluded.category,
  status = excluded.status, parameter_format = excluded.parameter_format, components = excluded.components,
  reason = excluded.reason, updated_ms = excluded.updated_ms`
	insertTemplateSQL = `INSERT INTO wa_templates (` + templateColumns + `) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (account, name, language) DO NOTHING`
	// moveTemplateStatusSQL changes a status only from the one read, so of
	// several transactions making the same change one reports it (see
	// TemplateTx.ReplaceTemplates).
	moveTemplateStatusSQL = `UPDATE wa_templates SET status = ?, reason = ?, updated_ms = ?
WHERE account = ? AND name = ? AND language = ? AND status = ?`
	templateReasonSQL   = `UPDATE wa_templates SET reason = ?, updated_ms = ? WHERE account = ? AND name = ? AND language = ?`
	templateCategorySQL = `UPDATE wa_templates SET category = ?, updated_ms = ? WHERE account = ? AND template_id = ?`

	templateSyncSQL       = `SELECT account, synced_ms, attempt_ms, failures, last_error FROM wa_template_syncs WHERE account = ?`
	recordTemplateSyncSQL = `INSERT INTO wa_template_syncs (account, synced_ms, attempt_ms, failures, last_error) VALUES (?, ?, ?, ?, ?)
ON CONFLICT (account) DO UPDATE SET synced_ms = excluded.synced_ms, attempt_ms = excluded.attempt_ms,
  failures = excluded.failures, last_error = excluded.last_error`
)

type templateRow struct {
	Account         string `db:"account"`
	Name            string `db:"name"`
	Language        string `db:"language"`
	TemplateID      string `db:"template_id"`
	Category        string `db:"category"`
	Status          string `db:"status"`
	ParameterFormat string `db:"parameter_format"`
	Components      string `db:"components"`
	Reason          string `db:"reason"`
	UpdatedMs       int64  `db:"updated_ms"`
}

func (r templateRow) domain() (templates.Template, error) {
	t := templates.Template{Account: r.Account, ID: r.TemplateID, Name: r.Name, Language: r.Language, Category: r.Category,
		Status: templates.Status(r.Status), ParameterFormat: r.ParameterFormat, Reason: r.Reason, UpdatedAt: fromMs(r.UpdatedMs)}
	if err := json.Unmarshal([]byte(r.Components), &t.Components); err != nil {
		return t, fmt.Errorf("template %s/%s components: %w", r.Name, r.Language, err)
	}
	return t, nil
}

func templateArgs(t templates.Template, now time.Time) ([]any, error) {
	components, err := json.Marshal(t.Components)
	if err != nil {
		return nil, fmt.Errorf("template %s/%s components: %w", t.Name, t.Language, err)
	}
	if t.Components == nil {
		components = []byte("[]")
	}
	return []any{t.Account, t.Name, t.Language, t.ID, t.Category, string(t.Status),
		t.ParameterFormat, string(components), t.Reason, toMs(now)}, nil
}

func (r *txRepo) upsertTemplate(ctx context.Context, t templates.Template, now time.Time) error {
	args, err := templateArgs(t, now)
	if err != nil {
		return err
	}
	if _, err := r.exec(ctx, upsertTemplateSQL, args...); err != nil {
		return fmt.Errorf("store template %s/%s: %w", t.Name, t.Language, err)
	}
	return nil
}

// insertTemplate stores a template not seen before; false when a
// concurrent transaction stored it first.
func (r *txRepo) insertTemplate(ctx context.Context, t templates.Template, now time.Time) (bool, error) {
	args, err := templateArgs(t, now)
	if err != nil {
		return false, err
	}
	res, err := r.exec(ctx, insertTemplateSQL, args...)
	if err != nil {
		return false, fmt.Errorf("store template %s/%s: %w", t.Name, t.Language, err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// moveTemplateStatus sets t's status from `from`; false when the stored
// status is no longer `from` (another transaction moved it).
func (r *txRepo) moveTemplateStatus(ctx context.Context, account string, t templates.Template, from templates.Status, now time.Time) (bool, error) {
	res, err := r.exec(ctx, moveTemplateStatusSQL, string(t.Status), t.Reason, toMs(now), account, t.Name, t.Language, string(from))
	if err != nil {
		return false, fmt.Errorf("status of template %s/%s: %w", t.Name, t.Language, err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

func (r *txRepo) ReplaceTemplates(ctx context.Context, account string, list []templates.Template, now time.Time) ([]templates.Template, error) {
	stored, err := r.Templates(ctx, account)
	if err != nil {
		return nil, err
	}
	before := map[[2]string]templates.Template{}
	for _, t := range stored {
		before[[2]string{t.Name, t.Language}] = t
	}
	var changed []templates.Template
	seen := map[[2]string]bool{}
	for _, t := range list {
		t.Account = account
		key := [2]string{t.Name, t.Language}
		if seen[key] {
			continue // Graph listed it twice (a page boundary moved): the first wins
		}
		seen[key] = true
		old, known := before[key]
		switch {
		case !known:
			fresh, err := r.insertTemplate(ctx, t, now)
			if err != nil {
				return nil, err
			}
			if fresh && !t.Status.Usable() {
				changed = append(changed, t)
			}
		case old.Status != t.Status:
			moved, err := r.moveTemplateStatus(ctx, account, t, old.Status, now)
			if err != nil {
				return nil, err
			}
			if moved {
				changed = append(changed, t)
			}
		}
		// Components, category and the rest follow Meta's list in any case.
		if err := r.upsertTemplate(ctx, t, now); err != nil {
			return nil, err
		}
	}
	var gone [][2]string
	for key := range before {
		gone = append(gone, key)
	}
	sort.Slice(gone, func(i, j int) bool { return gone[i][0]+"\x00"+gone[i][1] < gone[j][0]+"\x00"+gone[j][1] })
	for _, key := range gone {
		old := before[key]
		if seen[key] || old.Status == templates.StatusDeleted {
			continue
		}
		from := old.Status
		old.Status = templates.StatusDeleted
		moved, err := r.moveTemplateStatus(ctx, account, old, from, now)
		if err != nil {
			return nil, err
		}
		if moved {
			changed = append(changed, old)
		}
	}
	return changed, nil
}

func (r *txRepo) SetTemplateStatus(ctx context.Context, account, templateID, name, language string, status templates.Status, reason string, now time.Time) (templates.Template, bool, error) {
	var row templateRow
	err := sql.ErrNoRows
	if templateID != "" {
		err = r.get(ctx, &row, templateByIDSQL, account, templateID)
	}
	if errors.Is(err, sql.ErrNoRows) && name != "" {
		err = r.get(ctx, &row, getTemplateSQL, account, name, language)
	}
	if err != nil {
		return templates.Template{}, false, notFound(err, "template "+name)
	}
	t, err := row.domain()
	if err != nil {
		return t, false, err
	}
	if t.Status == status {
		if t.Reason != reason && reason != "" {
			t.Reason, t.UpdatedAt = reason, now
			if _, err := r.exec(ctx, templateReasonSQL, reason, toMs(now), account, t.Name, t.Language); err != nil {
				return t, false, fmt.Errorf("reason of template %s/%s: %w", t.Name, t.Language, err)
			}
		}
		return t, false, nil
	}
	from := t.Status
	t.Status, t.Reason, t.UpdatedAt = status, reason, now
	moved, err := r.moveTemplateStatus(ctx, account, t, from, now)
	return t, moved, err
}

func (r *txRepo) SetTemplateCategory(ctx context.Context, account, templateID, category string, now time.Time) error {
	if _, err := r.exec(ctx, templateCategorySQL, category, toMs(now), account, templateID); err != nil {
		return fmt.Errorf("category of template %s: %w", templateID, err)
	}
	return nil
}

func (r *txRepo) Templates(ctx context.Context, account string) ([]templates.Template, error) {
	var rows []templateRow
	if err := r.sel(ctx, &rows, listTemplatesSQL, account); err != nil {
		return nil, fmt.Errorf("templates of %s: %w", account, err)
	}
	out := make([]templates.Template, 0, len(rows))
	for _, row := range rows {
		t, err := row.domain()
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

func (r *txRepo) Template(ctx context.Context, account, name, language string) (templates.Template, error) {
	var row templateRow
	if err := r.get(ctx, &row, getTemplateSQL, account, name, language); err != nil {
		return templates.Template{}, notFound(err, "template "+name+"/"+language)
	}
	return row.domain()
}

type templateSyncRow struct {
	Account   string `db:"account"`
	SyncedMs  int64  `db:"synced_ms"`
	AttemptMs int64  `db:"attempt_ms"`
	Failures  int    `db:"failures"`
	LastError string `db:"last_error"`
}

func (r *txRepo) TemplateSyncState(ctx context.Context, account string) (bridge.TemplateSync, error) {
	var row templateSyncRow
	err := r.get(ctx, &row, templateSyncSQL, account)
	if errors.Is(err, sql.ErrNoRows) {
		return bridge.TemplateSync{Account: account}, nil
	}
	if err != nil {
		return bridge.TemplateSync{}, fmt.Errorf("template sync of %s: %w", account, err)
	}
	s := bridge.TemplateSync{Account: account, Failures: row.Failures, LastError: row.LastError}
	if row.SyncedMs > 0 {
		s.SyncedAt = fromMs(row.SyncedMs)
	}
	if row.AttemptMs > 0 {
		s.AttemptedAt = fromMs(row.AttemptMs)
	}
	return s, nil
}

func (r *txRepo) RecordTemplateSync(ctx context.Context, s bridge.TemplateSync) error {
	ms := func(t time.Time) int64 {
		if t.IsZero() {
			return 0
		}
		return toMs(t)
	}
	if _, err := r.exec(ctx, recordTemplateSyncSQL, s.Account, ms(s.SyncedAt), ms(s.AttemptedAt), s.Failures, s.LastError); err != nil {
		return fmt.Errorf("record template sync of %s: %w", s.Account, err)
	}
	return nil
}

var _ bridge.TemplateTx = (*txRepo)(nil)
