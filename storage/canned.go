package storage

import (
	"context"
	"fmt"
	"time"

	"github.com/switchboard/switchboard/bridge/canned"
)

const (
	cannedColumns = `team, name, language, body, source, updated_by, updated_ms`
	// Ordered by name, language, then team: the global version ('') of a
	// name and language comes before the team's.
	listCannedSQL   = `SELECT ` + cannedColumns + ` FROM canned_responses WHERE team = ? OR team = '' ORDER BY name, language, team`
	getCannedSQL    = `SELECT ` + cannedColumns + ` FROM canned_responses WHERE team = ? AND name = ? AND language = ?`
	configCannedSQL = `SELECT ` + cannedColumns + ` FROM canned_responses WHERE source = 'config'`
	upsertCannedSQL = `INSERT INTO canned_responses (` + cannedColumns + `) VALUES (?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (team, name, language) DO UPDATE SET body = excluded.body, source = excluded.source,
  updated_by = excluded.updated_by, updated_ms = excluded.updated_ms`
	deleteCannedSQL = `DELETE FROM canned_responses WHERE team = ? AND name = ? AND language = ?`
)

type cannedRow struct {
	Team      string `db:"team"`
	Name      string `db:"name"`
	Language  string `db:"language"`
	Body      string `db:"body"`
	Source    string `db:"source"`
	UpdatedBy string `db:"updated_by"`
	UpdatedMs int64  `db:"updated_ms"`
}

func (r cannedRow) domain() canned.Response {
	return canned.Response{Team: r.Team, Name: r.Name, Language: r.Language, Body: r.Body, Source: r.Source,
		UpdatedBy: r.UpdatedBy, UpdatedAt: fromMs(r.UpdatedMs)}
}

func (r *txRepo) CannedResponses(ctx context.Context, team string) ([]canned.Response, error) {
	var rows []cannedRow
	if err := r.sel(ctx, &rows, listCannedSQL, team); err != nil {
		return nil, fmt.Errorf("list canned responses of %q: %w", team, err)
	}
	out := make([]canned.Response, 0, len(rows))
	for _, row := range rows {
		out = append(out, row.domain())
	}
	return out, nil
}

func (r *txRepo) CannedResponse(ctx context.Context, team, name, language string) (canned.Response, error) {
	var row cannedRow
	err := r.get(ctx, &row, getCannedSQL, team, name, language)
	return row.domain(), notFound(err, fmt.Sprintf("canned response %s/%s@%s", team, name, language))
}

func (r *txRepo) SaveCanned(ctx context.Context, c canned.Response) error {
	if _, err := r.exec(ctx, upsertCannedSQL, c.Team, c.Name, c.Language, c.Body, c.Source, c.UpdatedBy, toMs(c.UpdatedAt)); err != nil {
		return fmt.Errorf("save canned response %s: %w", c.Key(), err)
	}
	return nil
}

func (r *txRepo) DeleteCanned(ctx context.Context, team, name, language string) (bool, error) {
	res, err := r.exec(ctx, deleteCannedSQL, team, name, language)
	if err != nil {
		return false, fmt.Errorf("delete canned response %s/%s@%s: %w", team, name, language, err)
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

func (r *txRepo) ReplaceConfigCanned(ctx context.Context, list []canned.Response, now time.Time) error {
	var stored []cannedRow
	if err := r.sel(ctx, &stored, configCannedSQL); err != nil {
		return fmt.Errorf("list config canned responses: %w", err)
	}
	keep := map[string]bool{}
	for _, c := range list {
		c.Source, c.UpdatedBy, c.UpdatedAt = canned.SourceConfig, "", now
		keep[c.Key()] = true
		if err := r.SaveCanned(ctx, c); err != nil {
			return err
		}
	}
	for _, row := range stored {
		if c := row.domain(); !keep[c.Key()] {
			if _, err := r.DeleteCanned(ctx, c.Team, c.Name, c.Language); err != nil {
				return err
			}
		}
	}
	return nil
}
