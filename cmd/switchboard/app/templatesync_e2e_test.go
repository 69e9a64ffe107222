package app_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/discord/discordtest"
	"github.com/switchboard/switchboard/adapters/slack/slacktest"
	"github.com/switchboard/switchboard/adapters/whatsapp/whatsapptest"
	"github.com/switchboard/switchboard/bridge"
	"github.com/switchboard/switchboard/bridge/templates"
	"github.com/switchboard/switchboard/cmd/switchboard/app"
	"github.com/switchboard/switchboard/storage"
)

// waba is the WhatsApp Business Account of the test inbox.
const waba = "102290129340398"

// graphTemplates is what the fake Graph holds for waba: two languages of
// order_update (an image header, a URL button), a named-parameter
// welcome, a rejected promo and a pending survey: five templates, read in
// pages of two.
func graphTemplates() []templates.Template {
	order := func(lang, body string) templates.Template {
		return templates.Template{Name: "order_update", Language: lang, Category: "UTILITY", Status: templates.StatusApproved,
			Components: []templates.Component{
				{Type: "HEADER", Format: "IMAGE"},
				{Type: "BODY", Text: body},
				{Type: "BUTTONS", Buttons: []templates.Button{{Type: "URL", Text: "Track", URL: "https://ex.com/t/{{1}}"}}},
			}}
	}
	return []templates.Template{
		order("pt_BR", "Olá {{1}}, seu pedido {{2}} saiu para entrega."),
		order("es", "Hola {{1}}, tu pedido {{2}} está en camino."),
		{Name: "welcome", Language: "en_US", Category: "MARKETING", Status: templates.StatusApproved, ParameterFormat: templates.FormatNamed,
			Components: []templates.Component{{Type: "BODY", Text: "Welcome {{first_name}}!"}}},
		{Name: "promo", Language: "en_US", Category: "MARKETING", Status: templates.StatusRejected, Reason: "INVALID_FORMAT",
			Components: []templates.Component{{Type: "BODY", Text: "{{1}} off"}}},
		{Name: "survey", Language: "es", Category: "UTILITY", Status: templates.StatusPending,
			Components: []templates.Component{{Type: "BODY", Text: "¿Qué tal?"}}},
	}
}

// withTemplates loads the fake Graph before switchboard starts and points
// the config at waba, with pages of two.
func withTemplates() option {
	return func(e *env, b *strings.Builder) {
		e.wa.SetTemplates(waba, graphTemplates()...)
		e.wa.SetPhoneAccount(phoneID, waba)
		e.tune.TemplatePageSize = 2
		withWhatsApp(fmt.Sprintf("  business_account_id: %q\n", waba))(e, b)
	}
}

// supervisedTeam is the support team, reading Spanish, with a
// supervisors' channel.
var supervisedTeam = withTeams(fmt.Sprintf(`teams:
  - name: support
    slack_channel: %s
    supervisors_channel: %s
    language: es
`, channel, supervisorsChannel))

// storedTemplates reads waba's templates from the database.
func (e *env) storedTemplates() []templates.Template {
	e.t.Helper()
	var list []templates.Template
	require.NoError(e.t, storage.NewStore(e.app.DB, nil).InTx(context.Background(), func(tx bridge.Tx) (err error) {
		list, err = tx.Templates(context.Background(), waba)
		return err
	}))
	return list
}

func find(list []templates.Template, name, lang string) templates.Template {
	for _, t := range list {
		if t.Name == name && t.Language == lang {
			return t
		}
	}
	return templates.Template{}
}

// waitSynced waits (polling, with a deadline) until waba's sync is
// recorded as done.
func (e *env) waitSynced() {
	e.t.Helper()
	require.Eventually(e.t, func() bool {
		var n int
		err := e.app.DB.GetContext(context.Background(), &n, `SELECT COUNT(*) FROM wa_template_syncs WHERE account = '`+waba+`' AND synced_ms > 0`)
		return err == nil && n == 1
	}, waitLong, 10*time.Millisecond, "templates synced at start-up")
}

func (e *env) notices() int {
	e.t.Helper()
	var n int
	require.NoError(e.t, e.app.DB.GetContext(context.Background(), &n, `SELECT COUNT(*) FROM deliveries WHERE kind = 'post_notice'`))
	return n
}

// countChannelText counts the top-level posts of ch containing sub.
func countChannelText(posts []slacktest.Message, ch, sub string) int {
	n := 0
	for _, m := range postsIn(posts, ch) {
		if strings.Contains(m.Text, sub) {
			n++
		}
	}
	return n
}

// At start-up the templates are read from the Graph API page by page and
// stored in every language and status; the rejected (and the pending) one
// is kept but not approved, and a first sync tells supervisors nothing.
func TestTemplatesAreSyncedFromTheGraphAtStartUp(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		e := setup(t, dialect, withTemplates(), supervisedTeam)
		e.waitSynced()
		require.Equal(t, 3, e.wa.TemplateListings(), "five templates in pages of two")

		list := e.storedTemplates()
		require.Len(t, list, 5)
		pt, es := find(list, "order_update", "pt_BR"), find(list, "order_update", "es")
		require.Equal(t, templates.StatusApproved, pt.Status)
		require.Equal(t, templates.StatusApproved, es.Status)
		require.NotEmpty(t, pt.ID)
		require.NotEqual(t, pt.ID, es.ID, "one id per language")
		require.Equal(t, graphTemplates()[0].Components, pt.Components, "components kept as Meta lists them")
		require.Len(t, pt.Params(), 4, "image header, two body values, the URL button")
		welcome := find(list, "welcome", "en_US")
		require.Equal(t, templates.FormatNamed, welcome.ParameterFormat)
		require.Equal(t, "first_name", welcome.Params()[0].Name)
		promo := find(list, "promo", "en_US")
		require.Equal(t, templates.StatusRejected, promo.Status)
		require.False(t, promo.Status.Usable(), "the rejected one is not offered")
		require.Equal(t, "INVALID_FORMAT", promo.Reason)
		require.False(t, find(list, "survey", "es").Status.Usable())
		require.Zero(t, e.notices(), "a first sync is history, not news")

		// The next sync is not due yet: nothing is read again.
		require.NoError(t, e.app.Bridge.SyncDueTemplates(context.Background()))
		require.Equal(t, 3, e.wa.TemplateListings())
	})
}

// A signed status webhook pausing a template stores it as paused and
// tells the supervisors once, in the team's language, however often Meta
// retries it and even when a sync finds the same change afterwards; a
// category webhook is stored.
func TestTemplatePausedByMetaIsToldToSupervisorsOnce(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		e := setup(t, dialect, withTemplates(), supervisedTeam)
		e.waitSynced()
		hook := func(body []byte) {
			t.Helper()
			resp := whatsapptest.PostWebhook(t, e.baseURL+"/webhooks/whatsapp", appSecret, body)
			require.Equal(t, http.StatusOK, resp.StatusCode)
		}
		paused, ok := e.wa.SetTemplateStatus(waba, "order_update", "pt_BR", templates.StatusPaused, "")
		require.True(t, ok)
		pauseHook := whatsapptest.TemplateStatusWebhook(paused, "PAUSED", "", "", time.Now())
		hook(pauseHook)
		require.Equal(t, templates.StatusPaused, find(e.storedTemplates(), "order_update", "pt_BR").Status,
			"stored before the webhook is acknowledged")
		const pauseNotice = "Meta ⏸ pausó la plantilla *order_update* (pt_BR): baja calidad. Los agentes no pueden enviarla hasta que vuelva a estar aprobada."
		e.waitChannelText(supervisorsChannel, pauseNotice)

		hook(pauseHook) // Meta retries
		require.NoError(t, e.app.Bridge.SyncTemplates(context.Background()), "a sync finds the pause already known")

		// A later change to another template: its notice comes after any
		// duplicate of the first (one lane per channel, in order).
		disabled, ok := e.wa.SetTemplateStatus(waba, "welcome", "en_US", templates.StatusDisabled, "")
		require.True(t, ok)
		hook(whatsapptest.TemplateStatusWebhook(disabled, "DISABLED", "", "", time.Now()))
		e.waitChannelText(supervisorsChannel, "Meta ⛔ desactivó la plantilla *welcome* (en_US)")
		require.Equal(t, 1, countChannelText(e.slack.Posts(), supervisorsChannel, "*order_update* (pt_BR)"), "told once")
		require.Zero(t, countChannelText(e.slack.Posts(), channel, "plantilla"), "not in the team's own channel: it has a supervisors' channel")

		// Approved again by a sync (no webhook came): told as well.
		e.wa.SetTemplateStatus(waba, "order_update", "pt_BR", templates.StatusApproved, "")
		require.NoError(t, e.app.Bridge.SyncTemplates(context.Background()))
		e.waitChannelText(supervisorsChannel, "La plantilla *order_update* (pt_BR) está ✅ aprobada")
		require.Equal(t, templates.StatusApproved, find(e.storedTemplates(), "order_update", "pt_BR").Status)

		hook(whatsapptest.TemplateCategoryWebhook(paused, "UTILITY", "MARKETING", time.Now()))
		require.Equal(t, "MARKETING", find(e.storedTemplates(), "order_update", "pt_BR").Category)

		// A template Meta announces before any sync knows it (created in
		// WhatsApp Manager since the last sync): acknowledged, nobody told,
		// and its account's sync made due at once instead of in an hour.
		fresh := templates.Template{Account: waba, ID: "999", Name: "brand_new", Language: "es", Category: "UTILITY",
			Status: templates.StatusApproved, Components: []templates.Component{{Type: "BODY", Text: "¡Hola!"}}}
		e.wa.AddTemplate(waba, fresh)
		hook(whatsapptest.TemplateStatusWebhook(fresh, "APPROVED", "", "", time.Now()))
		require.Empty(t, find(e.storedTemplates(), "brand_new", "es").Name)
		require.NoError(t, e.app.Bridge.SyncDueTemplates(context.Background()), "the leader's every-minute check")
		require.Equal(t, templates.StatusApproved, find(e.storedTemplates(), "brand_new", "es").Status, "synced now, not in an hour")
		require.Equal(t, 3, e.notices(), "paused, disabled, approved")
	})
}

// Without a supervisors' channel the notice goes to the team's home
// channel; Discord teams get it too.
func TestTemplateNoticeReachesADiscordTeamsHomeChannel(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, dialect string) {
		d := setupDiscordTeam(t, dialect, "text", gamingTeam, withTemplates())
		d.waitSynced()
		rejected, ok := d.wa.SetTemplateStatus(waba, "survey", "es", templates.StatusRejected, "TAG_CONTENT_MISMATCH")
		require.True(t, ok)
		resp := whatsapptest.PostWebhook(t, d.baseURL+"/webhooks/whatsapp", appSecret,
			whatsapptest.TemplateStatusWebhook(rejected, "REJECTED", "TAG_CONTENT_MISMATCH", "", time.Now()))
		require.Equal(t, http.StatusOK, resp.StatusCode)
		d.fake.WaitFor(t, waitLong, "the notice in the home channel", func() bool {
			for _, m := range d.fake.Messages(d.home) {
				if m.AuthorID == discordtest.BotUserID && strings.Contains(m.Content, "rejected by Meta: the content does not match the category") &&
					strings.Contains(m.Content, "survey") {
					return true
				}
			}
			return false
		})
	})
}

// A Graph outage at start-up holds nothing: switchboard starts, answers,
// and the sync is tried again after its backoff; a second replica
// started after a sync reads nothing again until the interval has passed.
func TestTemplateSyncRetriesAfterAnOutageAndIsSharedByReplicas(t *testing.T) {
	t.Parallel()
	clk := &clock{now: time.Now()}
	e := setup(t, storage.Postgres, withTemplates(), withClock(clk),
		func(e *env, _ *strings.Builder) { e.wa.FailNext(1, http.StatusServiceUnavailable, 2, "") })
	require.Eventually(t, func() bool {
		var failures int
		err := e.app.DB.GetContext(context.Background(), &failures, `SELECT failures FROM wa_template_syncs WHERE account = '`+waba+`'`)
		return err == nil && failures == 1
	}, waitLong, 10*time.Millisecond, "the failed start-up sync is recorded")
	e.customerWrites("34611111111", "Ana", "wamid.t1", time.Now(), "hola")
	e.waitCardAndThread("hola") // started and serving meanwhile
	require.Empty(t, e.storedTemplates())

	ctx := context.Background()
	require.NoError(t, e.app.Bridge.SyncDueTemplates(ctx))
	require.Empty(t, e.storedTemplates(), "not before the backoff")
	clk.Advance(time.Minute)
	require.NoError(t, e.app.Bridge.SyncDueTemplates(ctx))
	require.Len(t, e.storedTemplates(), 5)
	listings := e.wa.TemplateListings()

	second, err := app.Build(ctx, e.cfg, e.tune)
	require.NoError(t, err)
	require.NoError(t, second.Start(ctx))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	go func() { _ = second.Serve(ln) }()
	t.Cleanup(func() {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = second.Shutdown(sctx)
	})
	require.NoError(t, second.Bridge.SyncDueTemplates(ctx))
	require.Equal(t, listings, e.wa.TemplateListings(), "the other replica synced a moment ago")

	clk.Advance(time.Hour)
	require.NoError(t, second.Bridge.SyncDueTemplates(ctx))
	require.Greater(t, e.wa.TemplateListings(), listings, "an hour later it is due")
}
