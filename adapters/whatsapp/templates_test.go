package whatsapp_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/whatsapp"
	"github.com/switchboard/switchboard/adapters/whatsapp/whatsapptest"
	"github.com/switchboard/switchboard/bridge"
	"github.com/switchboard/switchboard/bridge/templates"
)

func TestListTemplatesFollowsEveryPage(t *testing.T) {
	t.Parallel()
	srv := whatsapptest.New(t)
	var list []templates.Template
	for i := range 7 {
		lang := "en_US"
		if i%2 == 1 {
			lang = "es"
		}
		list = append(list, templates.Template{Name: fmt.Sprintf("t%d", i/2), Language: lang, Category: "UTILITY",
			Status: templates.StatusApproved, ParameterFormat: templates.FormatPositional,
			Components: []templates.Component{{Type: "BODY", Text: "Hi {{1}}"}}})
	}
	list[3].Status, list[3].Reason = templates.StatusRejected, "INVALID_FORMAT"
	list[4].Status = "PENDING_DELETION"
	list[5].ParameterFormat = templates.FormatNamed
	srv.SetTemplates("waba-1", list...)

	c := &whatsapp.Client{BaseURL: srv.URL, AccessToken: srv.Token, TemplatePageSize: 2}
	got, err := c.ListTemplates(context.Background(), "waba-1")
	require.NoError(t, err)
	require.Len(t, got, 7, "every page is read")
	require.Equal(t, 4, srv.TemplateListings(), "7 templates in pages of 2")
	for i, tpl := range got {
		require.Equal(t, "waba-1", tpl.Account)
		require.Equal(t, list[i].Name, tpl.Name)
		require.Equal(t, list[i].Language, tpl.Language)
		require.NotEmpty(t, tpl.ID)
		require.Equal(t, list[i].Components, tpl.Components)
	}
	require.Equal(t, templates.StatusRejected, got[3].Status)
	require.Equal(t, "INVALID_FORMAT", got[3].Reason)
	require.Empty(t, got[0].Reason, `Graph's "NONE" is no reason`)
	require.Equal(t, templates.StatusDeleted, got[4].Status, "pending deletion is as good as deleted")
	require.Equal(t, templates.FormatNamed, got[5].ParameterFormat)
	require.Equal(t, "UTILITY", got[0].Category)

	one := &whatsapp.Client{BaseURL: srv.URL, AccessToken: srv.Token}
	got, err = one.ListTemplates(context.Background(), "waba-1")
	require.NoError(t, err)
	require.Len(t, got, 7)
	require.Equal(t, 5, srv.TemplateListings(), "the default page size reads them at once")
}

func TestListTemplatesErrors(t *testing.T) {
	t.Parallel()
	srv := whatsapptest.New(t)
	srv.SetTemplates("waba-1", templates.Template{Name: "a", Language: "en", Status: templates.StatusApproved})
	c := &whatsapp.Client{BaseURL: srv.URL, AccessToken: srv.Token}

	_, err := c.ListTemplates(context.Background(), "unknown")
	de, ok := bridge.AsDeliveryError(err)
	require.True(t, ok, "%v", err)
	require.True(t, de.Permanent, "an account Graph does not know")
	require.Equal(t, "100", de.Code)

	srv.FailNext(1, http.StatusInternalServerError, 2, "")
	_, err = c.ListTemplates(context.Background(), "waba-1")
	de, ok = bridge.AsDeliveryError(err)
	require.True(t, ok)
	require.False(t, de.Permanent, "a Graph outage is retried")

	bad := &whatsapp.Client{BaseURL: srv.URL, AccessToken: "wrong"}
	_, err = bad.ListTemplates(context.Background(), "waba-1")
	de, ok = bridge.AsDeliveryError(err)
	require.True(t, ok)
	require.Equal(t, bridge.ReasonTokenExpired, de.Reason)
	require.NotContains(t, err.Error(), "wrong", "the token never shows in errors")

	_, err = c.ListTemplates(context.Background(), "")
	require.Error(t, err)
}

func TestParseTemplateWebhooks(t *testing.T) {
	t.Parallel()
	at := time.Unix(1_750_000_000, 0).UTC()
	tpl := templates.Template{Account: "102290129340398", ID: "594425479261596", Name: "order_update", Language: "pt_BR", Category: "UTILITY"}
	tests := []struct {
		name string
		body []byte
		want []bridge.TemplateUpdate
	}{
		{"approved", whatsapptest.TemplateStatusWebhook(tpl, "APPROVED", "", "", at),
			[]bridge.TemplateUpdate{{Account: tpl.Account, TemplateID: tpl.ID, Name: tpl.Name, Language: tpl.Language, Status: templates.StatusApproved, At: at}}},
		{"rejected with a reason", whatsapptest.TemplateStatusWebhook(tpl, "REJECTED", "INVALID_FORMAT", "Variables at the start", at),
			[]bridge.TemplateUpdate{{Account: tpl.Account, TemplateID: tpl.ID, Name: tpl.Name, Language: tpl.Language, Status: templates.StatusRejected, Reason: "INVALID_FORMAT", At: at}}},
		{"paused: other_info's description is the reason", whatsapptest.TemplateStatusWebhook(tpl, "PAUSED", "", "Paused for 3 hours", at),
			[]bridge.TemplateUpdate{{Account: tpl.Account, TemplateID: tpl.ID, Name: tpl.Name, Language: tpl.Language, Status: templates.StatusPaused, Reason: "Paused for 3 hours", At: at}}},
		{"disabled", whatsapptest.TemplateStatusWebhook(tpl, "DISABLED", "", "", at),
			[]bridge.TemplateUpdate{{Account: tpl.Account, TemplateID: tpl.ID, Name: tpl.Name, Language: tpl.Language, Status: templates.StatusDisabled, At: at}}},
		{"reinstated can be sent again", whatsapptest.TemplateStatusWebhook(tpl, "REINSTATED", "", "", at),
			[]bridge.TemplateUpdate{{Account: tpl.Account, TemplateID: tpl.ID, Name: tpl.Name, Language: tpl.Language, Status: templates.StatusApproved, At: at}}},
		{"archived is deleted", whatsapptest.TemplateStatusWebhook(tpl, "ARCHIVED", "", "", at),
			[]bridge.TemplateUpdate{{Account: tpl.Account, TemplateID: tpl.ID, Name: tpl.Name, Language: tpl.Language, Status: templates.StatusDeleted, At: at}}},
		{"locked says nothing about sending", whatsapptest.TemplateStatusWebhook(tpl, "LOCKED", "", "", at), nil},
		{"category update", whatsapptest.TemplateCategoryWebhook(tpl, "UTILITY", "MARKETING", at),
			[]bridge.TemplateUpdate{{Account: tpl.Account, TemplateID: tpl.ID, Name: tpl.Name, Language: tpl.Language, Category: "MARKETING", At: at}}},
		{"Meta's documented example, id as a number, other_info present",
			[]byte(`{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","time":1750000000,"changes":[{"value":{
				"event":"PAUSED","message_template_id":594425479261596,"message_template_name":"order_update",
				"message_template_language":"pt_BR","reason":"NONE","message_template_category":"UTILITY",
				"other_info":{"title":"FIRST_PAUSE","description":"Your template has been paused for 3 hours."}},
				"field":"message_template_status_update"}]}]}`),
			[]bridge.TemplateUpdate{{Account: tpl.Account, TemplateID: tpl.ID, Name: tpl.Name, Language: tpl.Language, Status: templates.StatusPaused, Reason: "Your template has been paused for 3 hours.", At: at}}},
		{"a correct_category notice keeps the current category",
			[]byte(`{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","time":1750000000,"changes":[{"value":{
				"message_template_id":594425479261596,"message_template_name":"order_update","message_template_language":"pt_BR",
				"correct_category":"MARKETING","new_category":"UTILITY"},"field":"template_category_update"}]}]}`),
			[]bridge.TemplateUpdate{{Account: tpl.Account, TemplateID: tpl.ID, Name: tpl.Name, Language: tpl.Language, Category: "UTILITY", At: at}}},
		{"no time: zero, the bridge's clock then",
			[]byte(`{"object":"whatsapp_business_account","entry":[{"id":"W","changes":[{"value":{
				"event":"APPROVED","message_template_id":"7","message_template_name":"x","message_template_language":"en"},
				"field":"message_template_status_update"}]}]}`),
			[]bridge.TemplateUpdate{{Account: "W", TemplateID: "7", Name: "x", Language: "en", Status: templates.StatusApproved}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			hook, dropped, err := whatsapp.ParseDelivery(tt.body)
			require.NoError(t, err)
			require.Empty(t, dropped)
			require.Empty(t, hook.Messages)
			require.Equal(t, tt.want, hook.Templates)
		})
	}
}

func TestParseDropsAnUnreadableTemplateChange(t *testing.T) {
	t.Parallel()
	hook, dropped, err := whatsapp.ParseDelivery([]byte(`{"object":"whatsapp_business_account","entry":[{"id":"W","time":"odd","changes":[
		{"field":"message_template_status_update","value":{"event":"APPROVED"}},
		{"field":"message_template_status_update","value":{"event":["x"]}},
		{"field":"template_category_update","value":{"message_template_id":1}},
		{"field":"message_template_status_update","value":{"event":"APPROVED","message_template_id":2}}]}]}`))
	require.NoError(t, err, "a bad template change never fails the delivery (Meta would retry it for days)")
	require.Len(t, dropped, 3)
	require.Len(t, hook.Templates, 1)
	require.Equal(t, "2", hook.Templates[0].TemplateID)
	require.True(t, hook.Templates[0].At.IsZero())
}
