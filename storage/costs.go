package storage

import (
	"context"
	"fmt"

	"github.com/switchboard/switchboard/bridge"
	"github.com/switchboard/switchboard/bridge/report"
)

const (
	insertMessageCostSQL = `INSERT INTO message_costs (external_id, inbox, pricing_model, category, pricing_type, billable, charged, country, at_ms)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`
	messageCostSQL = `SELECT external_id, inbox, pricing_model, category, pricing_type, billable, charged, country, at_ms
FROM message_costs WHERE external_id = ?`
	// reportCostsSQL counts the priced messages of a period per team,
	// category, country and whether Meta charges them. The team is the
	// conversation's (now); a message we have no record of counts under
	// team "". The filters are appended by reportCosts.
	reportCostsSQL = `SELECT COALESCE(v.team, '') AS team, c.category, c.country, c.charged, COUNT(*) AS messages
FROM message_costs c
LEFT JOIN messages m ON m.external_id = c.external_id
LEFT JOIN conversations v ON v.id = m.conversation_id
WHERE c.at_ms >= ? AND c.at_ms < ?`
	reportCostsGroup = ` GROUP BY COALESCE(v.team, ''), c.category, c.country, c.charged ORDER BY 1, 2, 3, 4`
)

type messageCostRow struct {
	ExternalID string `db:"external_id"`
	Inbox      string `db:"inbox"`
	Model      string `db:"pricing_model"`
	Category   string `db:"category"`
	Type       string `db:"pricing_type"`
	Billable   int    `db:"billable"`
	Charged    int    `db:"charged"`
	Country    string `db:"country"`
	AtMs       int64  `db:"at_ms"`
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// InsertMessageCost implements bridge.Tx.
func (r *txRepo) InsertMessageCost(ctx context.Context, c bridge.MessageCost) (bool, error) {
	p := c.Pricing
	res, err := r.exec(ctx, insertMessageCostSQL, c.ExternalID, string(c.Inbox), p.Model, p.Category, p.Type,
		boolInt(p.Billable), boolInt(p.Charged()), c.Country, toMs(c.At))
	if err != nil {
		return false, fmt.Errorf("insert message cost: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// MessageCost is the stored pricing of one sent message;
// bridge.ErrNotFound when Meta has sent none yet.
func (db *DB) MessageCost(ctx context.Context, externalID string) (bridge.MessageCost, error) {
	var rows []messageCostRow
	if err := db.SelectContext(ctx, &rows, db.Rebind(messageCostSQL), externalID); err != nil {
		return bridge.MessageCost{}, fmt.Errorf("message cost: %w", err)
	}
	if len(rows) == 0 {
		return bridge.MessageCost{}, bridge.ErrNotFound
	}
	row := rows[0]
	return bridge.MessageCost{Inbox: bridge.InboxID(row.Inbox), ExternalID: row.ExternalID, Country: row.Country, At: fromMs(row.AtMs),
		Pricing: bridge.Pricing{Model: row.Model, Category: row.Category, Type: row.Type, Billable: row.Billable == 1}}, nil
}

type costCountRow struct {
	Team     string `db:"team"`
	Category string `db:"category"`
	Country  string `db:"country"`
	Charged  int    `db:"charged"`
	Messages int    `db:"messages"`
}

// Costs implements report.CostSource: the priced messages of the period
// per team, category and country, for one team and inbox when the filter
// names them.
func (s ReportSource) Costs(ctx context.Context, p report.Period, f report.Filter) ([]report.CostCount, error) {
	q := reportCostsSQL
	args := []any{toMs(p.From), toMs(p.To)}
	if f.Team != "" {
		q += ` AND v.team = ?`
		args = append(args, f.Team)
	}
	if f.Inbox != "" {
		q += ` AND c.inbox = ?`
		args = append(args, f.Inbox)
	}
	var rows []costCountRow
	if err := s.DB.SelectContext(ctx, &rows, s.DB.Rebind(q+reportCostsGroup), args...); err != nil {
		return nil, fmt.Errorf("report costs: %w", err)
	}
	out := make([]report.CostCount, 0, len(rows))
	for _, r := range rows {
		out = append(out, report.CostCount{Team: r.Team, Category: r.Category, Country: r.Country, Charged: r.Charged == 1, Messages: r.Messages})
	}
	return out, nil
}
