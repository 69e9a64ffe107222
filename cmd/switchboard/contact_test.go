package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/bridge"
	"github.com/switchboard/switchboard/storage"
	"github.com/switchboard/switchboard/storage/storagetest"
)

// contactFixture stores a person through the repository: one WhatsApp
// identity, a conversation with a message each way, a label, an attribute,
// a note, a CSAT comment and an AI summary.
func contactFixture(t *testing.T, url string) (configPath string, person int64) {
	t.Helper()
	ctx := context.Background()
	db, err := storage.Open(ctx, url, 2)
	require.NoError(t, err)
	defer db.Close()
	require.NoError(t, db.Migrate(ctx))
	now := time.Now().UTC().Truncate(time.Millisecond)
	err = storage.NewStore(db, nil).InTx(ctx, func(tx bridge.Tx) error {
		c, err := tx.UpsertContact(ctx, bridge.Contact{Channel: "whatsapp", Address: "34600111222", Name: "Lúcia Exportada", Phone: "34600111222", CreatedAt: now})
		if err != nil {
			return err
		}
		person = int64(c.PersonID)
		conv, err := tx.CreateConversation(ctx, bridge.Conversation{ContactID: c.ID, Inbox: "main", Channel: "whatsapp", Team: "support",
			State: bridge.StatePending, OpenedAt: now})
		if err != nil {
			return err
		}
		for _, m := range []bridge.Message{
			{ConversationID: conv.ID, Direction: bridge.Inbound, Kind: bridge.KindText, Body: "onde está o pedido 77?", ExternalID: "wamid.x1", SentAt: now, CreatedAt: now, Status: bridge.StatusReceived},
			{ConversationID: conv.ID, Direction: bridge.Outbound, Kind: bridge.KindText, Body: "já vai, Lúcia", AuthorID: "UAGENT1", SentAt: now, CreatedAt: now, Status: bridge.StatusSent},
		} {
			if _, _, err := tx.InsertMessage(ctx, m); err != nil {
				return err
			}
		}
		if _, err := tx.CreateCSAT(ctx, bridge.CSAT{ConversationID: conv.ID, Team: "support", SentAt: now}); err != nil {
			return err
		}
		if _, err := tx.AnswerCSAT(ctx, conv.ID, 3, now); err != nil {
			return err
		}
		if _, err := tx.CommentCSAT(ctx, conv.ID, "muito bom", now); err != nil {
			return err
		}
		return tx.AddSummary(ctx, bridge.ConversationSummary{ConversationID: conv.ID, Reason: bridge.SummaryResolve, Text: "Lúcia asked about order 77", At: now})
	})
	require.NoError(t, err)
	for _, q := range []string{
		fmt.Sprintf(`INSERT INTO person_labels (person_id, label, created_ms) VALUES (%d, 'vip', 1)`, person),
		fmt.Sprintf(`INSERT INTO person_attributes (person_id, name, value, updated_ms) VALUES (%d, 'plan', 'gold', 1)`, person),
		fmt.Sprintf(`INSERT INTO person_notes (person_id, author, body, created_ms) VALUES (%d, 'UAGENT1', 'calls after 6pm', 1)`, person),
		`UPDATE contacts SET email = 'lucia@example.com'`,
	} {
		_, err := db.ExecContext(ctx, q)
		require.NoError(t, err, q)
	}
	configPath = filepath.Join(t.TempDir(), "switchboard.yaml")
	require.NoError(t, os.WriteFile(configPath, []byte(fmt.Sprintf("database:\n  url: %q\nteams:\n  - name: support\n    slack_channel: C0123456789\n", url)), 0o600))
	return configPath, person
}

// contact export prints what was stored; contact erase asks first, then
// erases; both are in the audit log as the CLI's.
func TestContactExportAndErase(t *testing.T) {
	for _, dialect := range storagetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			url := storagetest.URL(t, dialect)
			cfg, person := contactFixture(t, url)
			id := fmt.Sprint(person)

			var out, errOut strings.Builder
			require.NoError(t, runWith([]string{"contact", "-config", cfg, "export", id}, &out, &errOut))
			var exp storage.PersonExport
			require.NoError(t, json.Unmarshal([]byte(out.String()), &exp), out.String())
			require.Equal(t, person, exp.Person.ID)
			require.Equal(t, []string{"vip"}, exp.Person.Labels)
			require.Equal(t, map[string]string{"plan": "gold"}, exp.Person.Attributes)
			require.Len(t, exp.Identities, 1)
			require.Equal(t, "34600111222", exp.Identities[0].Phone)
			require.Equal(t, "lucia@example.com", exp.Identities[0].Email)
			require.Equal(t, "Lúcia Exportada", exp.Identities[0].Name)
			require.Equal(t, "calls after 6pm", exp.Notes[0].Body)
			require.Len(t, exp.Conversations, 1)
			c := exp.Conversations[0]
			require.Equal(t, "support", c.Team)
			require.Len(t, c.Messages, 2)
			require.Equal(t, "onde está o pedido 77?", c.Messages[0].Body)
			require.Equal(t, "muito bom", c.CSAT.Comment)
			require.Equal(t, "Lúcia asked about order 77", c.Summaries[0].Text)

			file := filepath.Join(t.TempDir(), "p.json")
			out.Reset()
			require.NoError(t, runWith([]string{"contact", "-config", cfg, "export", id, "-o", file}, &out, &errOut))
			st, err := os.Stat(file)
			require.NoError(t, err)
			require.Equal(t, os.FileMode(0o600), st.Mode().Perm(), "an export holds personal data")

			contactStdin = strings.NewReader("no\n")
			out.Reset()
			err = runWith([]string{"contact", "-config", cfg, "erase", id}, &out, &errOut)
			require.ErrorContains(t, err, "not confirmed")
			out.Reset()
			require.NoError(t, runWith([]string{"contact", "-config", cfg, "export", id}, &out, &errOut))
			require.Contains(t, out.String(), "onde está o pedido 77?", "nothing was erased")

			contactStdin = strings.NewReader(id + "\n")
			out.Reset()
			require.NoError(t, runWith([]string{"contact", "-config", cfg, "erase", id}, &out, &errOut))
			require.Contains(t, out.String(), "Slack or Discord threads", "the command says what it cannot erase")
			out.Reset()
			require.NoError(t, runWith([]string{"contact", "-config", cfg, "export", id}, &out, &errOut))
			for _, s := range []string{"Lúcia", "34600111222", "lucia@example.com", "pedido 77", "muito bom", "order 77", "calls after", "vip", "gold"} {
				require.NotContains(t, out.String(), s)
			}
			require.NoError(t, json.Unmarshal([]byte(out.String()), &exp))
			require.NotNil(t, exp.Person.ErasedAt)

			db, err := storage.Open(context.Background(), url, 2)
			require.NoError(t, err)
			defer db.Close()
			audit, err := db.PersonAudit(context.Background(), person)
			require.NoError(t, err)
			var actions []string
			for _, a := range audit {
				require.Equal(t, "cli", a.Actor)
				actions = append(actions, a.Action)
			}
			require.Equal(t, []string{"export", "export", "export", "erase", "export"}, actions)

			err = runWith([]string{"contact", "-config", cfg, "export", "999999"}, &out, &errOut)
			require.ErrorContains(t, err, "there is no person 999999")
			err = runWith([]string{"contact", "-config", cfg, "export", "ana"}, &out, &errOut)
			require.ErrorIs(t, err, errUsage)
		})
	}
}

// contact erase records contact.erased for the CRM webhook in the erase's
// transaction: a queued delivery on the person's lane whose body says the
// person is erased and names nobody; a running server's lane rescue sends
// it. Without a webhook nothing is recorded.
func TestContactEraseRecordsContactErasedForTheCRM(t *testing.T) {
	for _, dialect := range storagetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			for _, hooked := range []bool{true, false} {
				url := storagetest.URL(t, dialect)
				cfg, person := contactFixture(t, url)
				if hooked {
					f, err := os.OpenFile(cfg, os.O_APPEND|os.O_WRONLY, 0)
					require.NoError(t, err)
					_, err = f.WriteString("contacts:\n  webhook:\n    url: \"https://crm.example.com/hooks/switchboard\"\n    secret: \"0123456789abcdef0123\"\n")
					require.NoError(t, err)
					require.NoError(t, f.Close())
				}
				var out, errOut strings.Builder
				require.NoError(t, runWith([]string{"contact", "-config", cfg, "erase", fmt.Sprint(person), "-yes"}, &out, &errOut), errOut.String())

				db, err := storage.Open(context.Background(), url, 2)
				require.NoError(t, err)
				defer db.Close()
				var rows []struct {
					Lane    string `db:"lane"`
					State   string `db:"state"`
					Payload string `db:"payload"`
				}
				require.NoError(t, db.SelectContext(context.Background(), &rows,
					`SELECT lane, state, payload FROM deliveries WHERE kind = 'crm_webhook'`))
				if !hooked {
					require.Empty(t, rows, "no webhook, nothing recorded")
					continue
				}
				require.Len(t, rows, 1)
				require.Equal(t, fmt.Sprintf("crm:p%d", person), rows[0].Lane)
				require.Equal(t, "queued", rows[0].State, "waiting for a running server")
				var body bridge.CRMBody
				require.NoError(t, json.Unmarshal([]byte(rows[0].Payload), &body))
				require.Equal(t, "contact.erased", body.Kind)
				require.Equal(t, "cli", body.Actor)
				require.Equal(t, person, body.Person.ID)
				require.True(t, body.Person.Erased)
				require.NotEmpty(t, body.ID)
				for _, s := range []string{"Lúcia", "34600111222", "lucia@example.com", "vip", "gold"} {
					require.NotContains(t, rows[0].Payload, s, "the erased body names nobody")
				}
			}
		})
	}
}
