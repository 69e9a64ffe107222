package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/bridge"
	"github.com/switchboard/switchboard/bridge/report"
	"github.com/switchboard/switchboard/cmd/switchboard/app"
	"github.com/switchboard/switchboard/storage"
)

// `switchboard report` exports billable and free messages per team and
// category, and their cost at the configured rates, in CSV and JSON.
func TestReportExportsBillableMessagesAndTheirCost(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "sb.yaml")
	require.NoError(t, os.WriteFile(path, []byte(fmt.Sprintf(`
database:
  url: "sqlite:%s"
whatsapp:
  inboxes:
    - {phone_number_id: "105954558954427", name: Madrid}
teams:
  - name: support
    slack_channel: C0123456789
pricing:
  currency: EUR
  rates: {marketing: 0.0600, utility: 0.0300}
`, filepath.Join(dir, "sb.db"))), 0o600))
	cfg, err := loadConfig(path)
	require.NoError(t, err)
	ctx := context.Background()
	db, err := storage.Open(ctx, app.DatabaseURL(cfg), 1)
	require.NoError(t, err)
	require.NoError(t, db.Migrate(ctx))
	at := time.Date(2026, 7, 14, 10, 0, 0, 0, time.UTC)
	require.NoError(t, storage.NewStore(db, nil).InTx(ctx, func(tx bridge.Tx) error {
		contact, err := tx.UpsertContact(ctx, bridge.Contact{Channel: "whatsapp", Address: "34611111111", CreatedAt: at})
		require.NoError(t, err)
		conv, err := tx.CreateConversation(ctx, bridge.Conversation{ContactID: contact.ID, Inbox: "105954558954427", Team: "support",
			State: bridge.StatePending, OpenedAt: at, LastCustomerAt: at})
		require.NoError(t, err)
		for i, p := range []bridge.Pricing{
			{Billable: true, Model: "PMP", Category: "marketing", Type: "regular"},
			{Billable: true, Model: "PMP", Category: "marketing", Type: "regular"},
			{Billable: true, Model: "PMP", Category: "utility", Type: "regular"},
			{Model: "PMP", Category: "utility", Type: "free_customer_service"},
		} {
			wamid := fmt.Sprintf("wamid.r%d", i)
			_, _, err := tx.InsertMessage(ctx, bridge.Message{ConversationID: conv.ID, Direction: bridge.Outbound, Kind: bridge.KindText,
				Body: "x", ExternalID: wamid, SentAt: at, CreatedAt: at, Status: bridge.StatusSent})
			require.NoError(t, err)
			_, err = tx.InsertMessageCost(ctx, bridge.MessageCost{Inbox: "105954558954427", ExternalID: wamid, Pricing: p, Country: "ES", At: at})
			require.NoError(t, err)
		}
		return nil
	}))
	require.NoError(t, db.Close())

	var out, errOut strings.Builder
	require.NoError(t, runWith([]string{"report", "-config", path, "--from", "2026-07-14", "--to", "2026-07-14", "--format", "csv"}, &out, &errOut))
	records, err := csv.NewReader(strings.NewReader(out.String())).ReadAll()
	require.NoError(t, err)
	got := map[string]string{}
	for _, r := range records[1:] {
		got[r[3]+" "+r[4]] = r[5]
	}
	require.Equal(t, "2", got["team:support billable_marketing"])
	require.Equal(t, "0", got["team:support free_marketing"])
	require.Equal(t, "0.12", got["team:support cost_marketing_eur"])
	require.Equal(t, "1", got["team:support billable_utility"])
	require.Equal(t, "1", got["team:support free_utility"])
	require.Equal(t, "0.03", got["team:support cost_utility_eur"])
	require.Equal(t, "3", got["all billable_messages"])
	require.Equal(t, "0.15", got["all cost_total_eur"])

	out.Reset()
	require.NoError(t, runWith([]string{"report", "-config", path, "--from", "2026-07-14", "--to", "2026-07-14", "--team", "support", "--format", "json"}, &out, &errOut))
	var doc report.Export
	require.NoError(t, json.Unmarshal([]byte(out.String()), &doc))
	require.Contains(t, doc.Rows, report.Row{Scope: "all", Metric: "cost_total_eur", Value: 0.15})

	out.Reset()
	require.NoError(t, runWith([]string{"report", "-config", path, "--from", "2026-07-15", "--to", "2026-07-15", "--format", "csv"}, &out, &errOut))
	require.NotContains(t, out.String(), "billable_", "another day has no priced messages")
}
