package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
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
	templateStatusSQL   = `UPDATE wa_templates SET status = ?, reason = ?, updated_ms = ? WHERE account = ? AND name = ? AND language = ?`
	templateCategorySQL = `UPDATE wa_templates SET category = ?, updated_ms = ? WHERE account = ? AND template_id = ?`
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

func (r *txRepo) upsertTemplate(ctx context.Context, t templates.Template, now time.Time) error {
	components, err := json.Marshal(t.Components)
	if err != nil {
		return fmt.Errorf("template %s/%s components: %w", t.Name, t.Language, err)
	}
	if t.Components == nil {
		components = []byte("[]")
	}
	if _, err := r.exec(ctx, upsertTemplateSQL, t.Account, t.Name, t.Language, t.ID, t.Category, string(t.Status),
		t.ParameterFormat, string(components), t.Reason, toMs(now)); err != nil {
		return fmt.Errorf("store template %s/%s: %w", t.Name, t.Language, err)
	}
	return nil
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
		seen[key] = true
		old, known := before[key]
		if (known && old.Status != t.Status) || (!known && !t.Status.Usable()) {
			changed = append(changed, t)
		}
		if err := r.upsertTemplate(ctx, t, now); err != nil {
			return nil, err
		}
	}
	for key, old := range before {
		if seen[key] || old.Status == templates.StatusDeleted {
			continue
		}
		old.Status = templates.StatusDeleted
		if err := r.upsertTemplate(ctx, old, now); err != nil {
			return nil, err
		}
		changed = append(changed, old)
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
	if t.Status == status && t.Reason == reason {
		return t, false, nil
	}
	changed := t.Status != status
	t.Status, t.Reason, t.UpdatedAt = status, reason, now
	if _, err := r.exec(ctx, templateStatusSQL, string(status), reason, toMs(now), account, t.Name, t.Language); err != nil {
		return t, false, fmt.Errorf("status of template %s/%s: %w", t.Name, t.Language, err)
	}
	return t, changed, nil
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

var _ bridge.TemplateTx = (*txRepo)(nil)
