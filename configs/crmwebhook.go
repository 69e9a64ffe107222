package configs

import (
	"fmt"
	"slices"
	"strings"

	"github.com/switchboard/switchboard/bridge/contacts"
)

// CRMWebhookEvents are the change kinds contacts.webhook.events may name
// (bridge/contacts Change*, docs/crm.md).
var CRMWebhookEvents = []string{
	contacts.ChangeContactCreated, contacts.ChangeContactUpdated, contacts.ChangeContactMerged,
	contacts.ChangeContactErased, contacts.ChangeConversationOpen, contacts.ChangeConversationAssig,
	contacts.ChangeConversationXfer, contacts.ChangeConversationDone, contacts.ChangeConversationReopen,
}

// minCRMSecret is the shortest signing secret accepted: shorter ones are
// guessable offline from one signed body.
const minCRMSecret = 16

// validateCRMWebhook checks contacts.webhook (crm hook branch, issue 12).
func (c *Config) validateCRMWebhook(d *decoder) {
	bad := func(path, format string, args ...any) { d.fail(d.lineOf(path), path, format, args...) }
	w := c.Contacts.Webhook
	if w.URL == "" {
		if len(w.Events) > 0 {
			bad("contacts.webhook.events", "is set but contacts.webhook.url is empty; set the url of your CRM's endpoint or remove events")
		}
		return
	}
	checkHTTPURL(bad, d.quote, "contacts.webhook.url", w.URL, "write your CRM's absolute endpoint, e.g. \"https://crm.example.com/hooks/switchboard\"")
	switch {
	case w.Secret == "":
		bad("contacts.webhook.secret", "is empty while contacts.webhook.url is set; set a random secret of at least %d characters (e.g. `openssl rand -hex 32`) that your CRM also knows, to verify X-Switchboard-Signature", minCRMSecret)
	case len(w.Secret) < minCRMSecret:
		// The secret itself is never printed.
		bad("contacts.webhook.secret", "is %d characters; use at least %d (e.g. `openssl rand -hex 32`)", len(w.Secret), minCRMSecret)
	}
	for i, e := range w.Events {
		if !slices.Contains(CRMWebhookEvents, e) {
			path := fmt.Sprintf("contacts.webhook.events[%d]", i)
			bad(path, "%s is not a change kind; use some of %s, or remove events to send all", d.quote(path, e), strings.Join(CRMWebhookEvents, ", "))
		}
	}
}
