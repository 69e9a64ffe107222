package whatsapptest_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/whatsapp"
	"github.com/switchboard/switchboard/adapters/whatsapp/whatsapptest"
	"github.com/switchboard/switchboard/bridge"
	"github.com/switchboard/switchboard/bridge/templates"
)

const (
	account = "waba-1"
	phone   = "111"
)

func orderUpdate(status templates.Status) templates.Template {
	return templates.Template{
		Name: "order_update", Language: "pt_BR", Category: "UTILITY", Status: status,
		Components: []templates.Component{
			{Type: "HEADER", Format: "IMAGE"},
			{Type: "BODY", Text: "Olá {{1}}, seu pedido {{2}} saiu."},
			{Type: "BUTTONS", Buttons: []templates.Button{
				{Type: "QUICK_REPLY", Text: "Ok"},
				{Type: "URL", Text: "Rastrear", URL: "https://ex.com/t/{{1}}"},
			}},
		},
	}
}

func TestFakeListsTemplatesInPages(t *testing.T) {
	t.Parallel()
	srv := whatsapptest.New(t)
	var list []templates.Template
	for _, n := range []string{"a", "b", "c", "d", "e"} {
		list = append(list, templates.Template{Name: n, Language: "en_US", Status: templates.StatusApproved})
	}
	srv.SetTemplates(account, list...)

	resp, _ := do(t, http.MethodGet, srv.URL+"/v23.0/"+account+"/message_templates?limit=2", "", "")
	require.Equal(t, http.StatusUnauthorized, resp.StatusCode, "the Bearer token is required")

	var names []string
	next := srv.URL + "/v23.0/" + account + "/message_templates?fields=name,status&limit=2"
	pages := 0
	for next != "" {
		resp, body := do(t, http.MethodGet, next, srv.Token, "")
		require.Equal(t, http.StatusOK, resp.StatusCode, body)
		var page struct {
			Data   []map[string]any `json:"data"`
			Paging struct {
				Cursors struct{ Before, After string } `json:"cursors"`
				Next    string                         `json:"next"`
			} `json:"paging"`
		}
		require.NoError(t, json.Unmarshal([]byte(body), &page))
		for _, d := range page.Data {
			names = append(names, d["name"].(string))
			require.NotContains(t, d, "components", "only the fields asked for")
			require.Contains(t, d, "id", "id always comes")
		}
		require.NotEmpty(t, page.Paging.Cursors.After)
		next = page.Paging.Next
		if next != "" {
			u, err := url.Parse(next)
			require.NoError(t, err)
			require.Equal(t, page.Paging.Cursors.After, u.Query().Get("after"))
		}
		pages++
	}
	require.Equal(t, []string{"a", "b", "c", "d", "e"}, names)
	require.Equal(t, 3, pages)
	require.Equal(t, 3, srv.TemplateListings())

	resp, body := do(t, http.MethodGet, srv.URL+"/v23.0/unknown/message_templates", srv.Token, "")
	require.Equal(t, http.StatusBadRequest, resp.StatusCode)
	require.Contains(t, body, `"code":100`)
}

func TestFakeChecksTemplateSends(t *testing.T) {
	t.Parallel()
	good := []string{"https://ex.com/a.png", "Ana", "#42", "abc"}
	tests := []struct {
		name   string
		status templates.Status
		send   func(tpl templates.Template) templates.Message
		code   string
		reason bridge.FailureReason
	}{
		{"an approved template with the right values goes", templates.StatusApproved, func(tpl templates.Template) templates.Message {
			m, _ := templates.Build(tpl, good)
			return m
		}, "", ""},
		{"an unknown language is 132001", templates.StatusApproved, func(tpl templates.Template) templates.Message {
			tpl.Language = "es"
			m, _ := templates.Build(tpl, good)
			return m
		}, "132001", bridge.ReasonTemplateMissing},
		{"an unknown name is 132001", templates.StatusApproved, func(tpl templates.Template) templates.Message {
			tpl.Name = "nope"
			m, _ := templates.Build(tpl, good)
			return m
		}, "132001", bridge.ReasonTemplateMissing},
		{"a rejected template is 132001", templates.StatusRejected, func(tpl templates.Template) templates.Message {
			m, _ := templates.Build(tpl, good)
			return m
		}, "132001", bridge.ReasonTemplateMissing},
		{"a paused template is 132015", templates.StatusPaused, func(tpl templates.Template) templates.Message {
			m, _ := templates.Build(tpl, good)
			return m
		}, "132015", bridge.ReasonTemplatePaused},
		{"a disabled template is 132016", templates.StatusDisabled, func(tpl templates.Template) templates.Message {
			m, _ := templates.Build(tpl, good)
			return m
		}, "132016", bridge.ReasonTemplateDisabled},
		{"a body value too few is 132000", templates.StatusApproved, func(tpl templates.Template) templates.Message {
			m, _ := templates.Build(tpl, good)
			for i, c := range m.Components {
				if c.Type == "body" {
					m.Components[i].Parameters = c.Parameters[:1]
				}
			}
			return m
		}, "132000", bridge.ReasonTemplateParams},
		{"a missing button value is 132000", templates.StatusApproved, func(tpl templates.Template) templates.Message {
			m, _ := templates.Build(tpl, good)
			m.Components = m.Components[:2]
			return m
		}, "132000", bridge.ReasonTemplateParams},
		{"a text where the header wants an image is 132012", templates.StatusApproved, func(tpl templates.Template) templates.Message {
			m, _ := templates.Build(tpl, good)
			m.Components[0].Parameters[0] = templates.SendParameter{Type: "text", Text: "x"}
			return m
		}, "132012", bridge.ReasonTemplateParams},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := whatsapptest.New(t)
			tpl := orderUpdate(tt.status)
			srv.SetTemplates(account, tpl)
			srv.SetPhoneAccount(phone, account)
			c := &whatsapp.Client{BaseURL: srv.URL, AccessToken: srv.Token}
			_, err := c.SendTemplate(context.Background(), phone, "5511999", tt.send(tpl))
			if tt.code == "" {
				require.NoError(t, err)
				require.Len(t, srv.Sends(), 1)
				return
			}
			de, ok := bridge.AsDeliveryError(err)
			require.True(t, ok, "%v", err)
			require.Equal(t, tt.code, de.Code)
			require.Equal(t, tt.reason, de.Reason)
			require.True(t, de.Permanent)
			require.Empty(t, srv.Sends(), "a refused send is not recorded")
		})
	}
}

func TestFakeAcceptsTemplatesWhenNoneAreLoaded(t *testing.T) {
	t.Parallel()
	srv := whatsapptest.New(t)
	srv.SetTemplates("other-account", orderUpdate(templates.StatusApproved))
	c := &whatsapp.Client{BaseURL: srv.URL, AccessToken: srv.Token}
	_, err := c.SendTemplate(context.Background(), phone, "5511999", templates.Message{Name: "anything", Language: templates.Language{Code: "en"}})
	require.NoError(t, err, "a number whose account has no templates loaded sends as before")

	srv.SetPhoneAccount(phone, "other-account")
	_, err = c.SendTemplate(context.Background(), phone, "5511999", templates.Message{Name: "anything", Language: templates.Language{Code: "en"}})
	de, ok := bridge.AsDeliveryError(err)
	require.True(t, ok)
	require.Equal(t, "132001", de.Code)
}

func TestFakeFailsARecipient(t *testing.T) {
	t.Parallel()
	tests := []struct {
		code      int
		reason    bridge.FailureReason
		permanent bool
	}{
		{131026, bridge.ReasonUndeliverable, true},
		{131048, bridge.ReasonPolicy, true},
		{131056, bridge.ReasonRateLimited, false},
	}
	for _, tt := range tests {
		srv := whatsapptest.New(t)
		srv.FailRecipient("5511999", tt.code)
		c := &whatsapp.Client{BaseURL: srv.URL, AccessToken: srv.Token}
		_, err := c.SendText(context.Background(), phone, "5511999", "hi")
		de, ok := bridge.AsDeliveryError(err)
		require.True(t, ok, "code %d: %v", tt.code, err)
		require.Equal(t, tt.reason, de.Reason, "code %d", tt.code)
		require.Equal(t, tt.permanent, de.Permanent, "code %d", tt.code)

		_, err = c.SendText(context.Background(), phone, "5511000", "hi")
		require.NoError(t, err, "other customers still receive")
		srv.FailRecipient("5511999", 0)
		_, err = c.SendText(context.Background(), phone, "5511999", "hi")
		require.NoError(t, err)
	}
}
