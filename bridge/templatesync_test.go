package bridge

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/bridge/templates"
)

func TestTemplateStatusNotice(t *testing.T) {
	t.Parallel()
	tpl := func(status templates.Status, reason string) templates.Template {
		return templates.Template{Name: "order_update", Language: "pt_BR", Status: status, Reason: reason}
	}
	tests := []struct {
		lang string
		tpl  templates.Template
		want string
	}{
		{"en", tpl(templates.StatusPaused, ""),
			"📄 Template *order_update* (pt_BR) is now ⏸ paused by Meta: low quality. Agents cannot send it until it is approved again."},
		{"es", tpl(templates.StatusPaused, "Paused for 3 hours."),
			"📄 Meta ⏸ pausó la plantilla *order_update* (pt_BR): baja calidad (Paused for 3 hours.). Los agentes no pueden enviarla hasta que vuelva a estar aprobada."},
		{"pt", tpl(templates.StatusRejected, "INVALID_FORMAT"),
			"📄 A Meta ❌ rejeitou o modelo *order_update* (pt_BR): formato inválido. Os agentes não podem enviá-lo: corrija-o no WhatsApp Manager e envie-o de novo para análise."},
		{"en", tpl(templates.StatusRejected, "SOMETHING_NEW"),
			"📄 Template *order_update* (pt_BR) was ❌ rejected by Meta: SOMETHING_NEW. Agents cannot send it: correct it in WhatsApp Manager and submit it again."},
		{"en", tpl(templates.StatusApproved, ""),
			"📄 Template *order_update* (pt_BR) is now ✅ approved. Agents can send it."},
		{"en", tpl(templates.StatusDisabled, ""),
			"📄 Template *order_update* (pt_BR) is now ⛔ disabled by Meta. Agents can no longer send it: create a new template with different content."},
		{"en", tpl(templates.StatusDeleted, ""),
			"📄 Template *order_update* (pt_BR) was 🗑 deleted. Agents can no longer send it."},
		{"en", tpl("LIMIT_EXCEEDED", ""),
			"📄 Template *order_update* (pt_BR) is now “limit exceeded”. Agents cannot send it until Meta approves it."},
	}
	for _, tt := range tests {
		require.Equal(t, tt.want, TemplateStatusNotice(tt.lang, tt.tpl))
	}
	// Every status we name has its own sentence in every language.
	for _, s := range []templates.Status{templates.StatusApproved, templates.StatusPending, templates.StatusRejected, templates.StatusPaused,
		templates.StatusDisabled, templates.StatusInAppeal, templates.StatusDeleted, templates.StatusFlagged} {
		for _, lang := range []string{"en", "es", "pt"} {
			text := TemplateStatusNotice(lang, tpl(s, ""))
			require.Contains(t, text, "*order_update*")
			require.NotContains(t, text, "%!", "arguments fit the format")
			require.NotContains(t, text, "“", "%s has its own sentence", s)
		}
	}
}

func TestTemplateSyncDue(t *testing.T) {
	t.Parallel()
	b := &Bridge{opts: Options{TemplateSyncEvery: time.Hour}}
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name  string
		state TemplateSync
		due   bool
	}{
		{"never synced", TemplateSync{}, true},
		{"synced a minute ago", TemplateSync{SyncedAt: now.Add(-time.Minute), AttemptedAt: now.Add(-time.Minute)}, false},
		{"synced an hour ago", TemplateSync{SyncedAt: now.Add(-time.Hour)}, true},
		{"failed 30 s ago", TemplateSync{AttemptedAt: now.Add(-30 * time.Second), Failures: 1}, false},
		{"failed a minute ago", TemplateSync{AttemptedAt: now.Add(-time.Minute), Failures: 1}, true},
		{"failed three times, 3 min ago (waits 4)", TemplateSync{AttemptedAt: now.Add(-3 * time.Minute), Failures: 3}, false},
		{"failed three times, 4 min ago", TemplateSync{AttemptedAt: now.Add(-4 * time.Minute), Failures: 3}, true},
		{"failing for long: at most the interval", TemplateSync{AttemptedAt: now.Add(-time.Hour), Failures: 40}, true},
		{"failing for long, 59 min ago", TemplateSync{AttemptedAt: now.Add(-59 * time.Minute), Failures: 40}, false},
		{"failed after a success: the backoff, not the interval", TemplateSync{SyncedAt: now.Add(-10 * time.Minute), AttemptedAt: now.Add(-2 * time.Minute), Failures: 1}, true},
	}
	for _, tt := range tests {
		require.Equal(t, tt.due, b.templateSyncDue(tt.state, now), tt.name)
	}
}

func TestTemplateTeams(t *testing.T) {
	t.Parallel()
	b, err := New(nil, nil, nil, Options{
		Teams: []Team{{Name: "support", ChannelID: "C1"}, {Name: "sales", ChannelID: "C2"}, {Name: "vip", ChannelID: "C3"}},
		Inboxes: []Inbox{
			{ID: "111", Account: "W1"},
			{ID: "222", Account: "W1", Team: "sales"},
			{ID: "333", Account: "W2", Team: "vip"},
		},
	})
	require.NoError(t, err)
	names := func(account string) string {
		var out []string
		for _, team := range b.templateTeams(account) {
			out = append(out, team.Name)
		}
		return strings.Join(out, ",")
	}
	require.Equal(t, "sales,support", names("W1"), "the inboxes' teams (support is the default)")
	require.Equal(t, "vip", names("W2"))
	require.Equal(t, "", names("W3"), "an account we do not serve")
	require.Equal(t, []string{"W1", "W2"}, b.templateAccounts())
}
