package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"flag"
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

// reportConfig writes a configuration on a fresh SQLite file with one
// support conversation on 2025-03-24 (Madrid): opened 10:00, first reply
// 10:05, resolved 11:00, a satisfaction answer of 3.
func reportConfig(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "sb.yaml")
	require.NoError(t, os.WriteFile(path, []byte(fmt.Sprintf(`
database:
  url: "sqlite:%s"
whatsapp:
  inboxes:
    - {phone_number_id: "105954558954427", name: Madrid}
    - {phone_number_id: "105954558954428", name: Lisboa}
teams:
  - name: support
    slack_channel: C0123456789
    hours:
      time_zone: Europe/Madrid
      weekly: {mon-fri: ["09:00-18:00"]}
    sla_targets: {first_response: 10m}
  - name: sales
    slack_channel: C0987654321
`, filepath.Join(dir, "sb.db"))), 0o600))
	cfg, err := loadConfig(path)
	require.NoError(t, err)
	ctx := context.Background()
	db, err := storage.Open(ctx, app.DatabaseURL(cfg), 1)
	require.NoError(t, err)
	defer db.Close()
	require.NoError(t, db.Migrate(ctx))
	madrid, _ := time.LoadLocation("Europe/Madrid")
	at := func(hm string) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04", "2025-03-24 "+hm, madrid)
		require.NoError(t, err)
		return v
	}
	require.NoError(t, storage.NewStore(db, nil).InTx(ctx, func(tx bridge.Tx) error {
		contact, err := tx.UpsertContact(ctx, bridge.Contact{Channel: "whatsapp", Address: "34611111111", CreatedAt: at("10:00")})
		require.NoError(t, err)
		conv, err := tx.CreateConversation(ctx, bridge.Conversation{ContactID: contact.ID, Inbox: "105954558954427", Team: "support",
			State: bridge.StatePending, OpenedAt: at("10:00"), LastCustomerAt: at("10:00")})
		require.NoError(t, err)
		conv.State, conv.Assignee, conv.ResolvedAt = bridge.StateResolved, "U0AGENTA01", at("11:00")
		_, err = tx.UpdateConversation(ctx, conv)
		require.NoError(t, err)
		for _, e := range []bridge.Event{
			{Kind: bridge.EventRouted, Data: "support root", At: at("10:00")},
			{Kind: bridge.EventReceived, Data: "text", At: at("10:00")},
			{Kind: bridge.EventClaimed, Actor: "U0AGENTA01", Data: "auto", At: at("10:05")},
			{Kind: bridge.EventReplied, Actor: "U0AGENTA01", At: at("10:05")},
			{Kind: bridge.EventResolved, Actor: "U0AGENTA01", At: at("11:00")},
		} {
			e.ConversationID = conv.ID
			require.NoError(t, tx.AppendEvent(ctx, e))
		}
		if _, err := tx.CreateCSAT(ctx, bridge.CSAT{ConversationID: conv.ID, Team: "support", Agent: "U0AGENTA01", SentAt: at("11:00")}); err != nil {
			return err
		}
		_, err = tx.AnswerCSAT(ctx, conv.ID, bridge.CSATGood, at("11:02"))
		return err
	}))
	return path
}

func runReport(t *testing.T, path string, args ...string) (string, error) {
	t.Helper()
	cfg, err := loadConfig(path)
	require.NoError(t, err)
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	o := addReportFlags(fs)
	require.NoError(t, fs.Parse(args))
	var out strings.Builder
	err = o.run(cfg, &out)
	return out.String(), err
}

func TestReportPrintsTheFiguresAsCSVAndJSON(t *testing.T) {
	t.Parallel()
	path := reportConfig(t)

	out, err := runReport(t, path, "--from", "2025-03-24", "--to", "2025-03-24", "--team", "support", "--format", "csv")
	require.NoError(t, err)
	records, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	require.NoError(t, err)
	require.Equal(t, []string{"from", "to", "team", "scope", "metric", "value"}, records[0])
	got := map[string]string{}
	for _, r := range records[1:] {
		require.Equal(t, []string{"2025-03-24T00:00:00+01:00", "2025-03-25T00:00:00+01:00", "support"}, r[:3], "the team's local day")
		got[r[3]+" "+r[4]] = r[5]
	}
	require.Equal(t, "1", got["all received"])
	require.Equal(t, "300", got["all first_response_median_seconds"])
	require.Equal(t, "3600", got["all resolution_median_seconds"])
	require.Equal(t, "1", got["all sla_first_response_attainment"])
	require.Equal(t, "3", got["all csat_average"])
	require.Equal(t, "1", got["agent:U0AGENTA01 resolved"])

	out, err = runReport(t, path, "--from", "2025-03-24", "--to", "2025-03-24", "--format", "json")
	require.NoError(t, err)
	var doc report.Export
	require.NoError(t, json.Unmarshal([]byte(out), &doc))
	require.Empty(t, doc.Team, "every team")
	require.Contains(t, doc.Rows, report.Row{Scope: "all", Metric: "received", Value: 1})

	// The team's hours change (opening at 10:30): the figures already
	// summarised keep the hours they were measured with until the
	// report is asked to summarise everything again.
	resolutionBusiness := func(args ...string) float64 {
		out, err := runReport(t, path, append([]string{"--from", "2025-03-24", "--to", "2025-03-24", "--team", "support", "--format", "json"}, args...)...)
		require.NoError(t, err)
		var doc report.Export
		require.NoError(t, json.Unmarshal([]byte(out), &doc))
		for _, r := range doc.Rows {
			if r.Scope == "all" && r.Metric == "resolution_business_median_seconds" {
				return r.Value
			}
		}
		t.Fatalf("no business resolution in %s", out)
		return 0
	}
	require.Equal(t, 3600.0, resolutionBusiness())
	config, err := os.ReadFile(path)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, []byte(strings.Replace(string(config), `"09:00-18:00"`, `"10:30-18:00"`, 1)), 0o600))
	require.Equal(t, 3600.0, resolutionBusiness(), "measured with the hours of the time it was summarised")
	require.Equal(t, 1800.0, resolutionBusiness("--resummarise"), "10:30 to 11:00 under the new hours")

	for inbox, want := range map[string]float64{"madrid": 1, "105954558954427": 1, "Lisboa": 0} {
		out, err = runReport(t, path, "--from", "2025-03-24", "--to", "2025-03-24", "--inbox", inbox, "--format", "json")
		require.NoError(t, err)
		doc = report.Export{}
		require.NoError(t, json.Unmarshal([]byte(out), &doc))
		require.Contains(t, doc.Rows, report.Row{Scope: "all", Metric: "received", Value: want}, "inbox %s", inbox)
	}
}

func TestReportExplainsBadInput(t *testing.T) {
	t.Parallel()
	path := reportConfig(t)
	_, err := runReport(t, path, "--format", "xml")
	require.ErrorContains(t, err, `report --format "xml": use csv or json`)
	_, err = runReport(t, path, "--team", "suport")
	require.ErrorContains(t, err, `report --team "suport": no such team`)
	_, err = runReport(t, path, "--inbox", "Paris")
	require.ErrorContains(t, err, `report --inbox "Paris": no inbox with that name or id`)
	_, err = runReport(t, path, "--channel", "telegram")
	require.ErrorContains(t, err, `report --channel "telegram": use whatsapp, messenger, instagram or email`)
	_, err = runReport(t, path, "--label", "a,b")
	require.ErrorContains(t, err, `report --label "a,b": `)
	_, err = runReport(t, path, "--from", "2025-03-24")
	require.ErrorContains(t, err, "give both --from and --to")
	require.NoError(t, run([]string{"report", "-config", path, "--period", "30d"}), "the subcommand is wired")
}
