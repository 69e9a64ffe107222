package app

import (
	"net/http"
	"time"

	"github.com/switchboard/switchboard/bridge"
	"github.com/switchboard/switchboard/configs"
)

// crmWebhook wires contacts.webhook into the bridge (bridge/crm.go). The
// webhook has its own client: a CRM is the business's server, not Meta's or
// Slack's, so it does not go through Tuning.HTTPClient (which tests point
// at the platform fakes).
func crmWebhook(cfg *configs.Config, _ Tuning) bridge.CRMWebhook {
	w := cfg.Contacts.Webhook
	if w.URL == "" {
		return bridge.CRMWebhook{}
	}
	return bridge.CRMWebhook{URL: w.URL, Secret: w.Secret, Events: w.Events,
		Client: &http.Client{Timeout: 10 * time.Second}}
}
