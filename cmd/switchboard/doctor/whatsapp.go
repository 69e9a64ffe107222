package doctor

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/switchboard/switchboard/adapters/whatsapp"
)

// Guide sections for WhatsApp fixes.
const (
	docWhatsAppToken   = "docs/setup-whatsapp.md#4-create-a-permanent-access-token-system-user"
	docWhatsAppIDs     = "docs/setup-whatsapp.md#2-add-the-whatsapp-product"
	docWhatsAppWebhook = "docs/setup-whatsapp.md#6-configure-the-webhook"
	docWhatsAppVerify  = "docs/setup-whatsapp.md#5-choose-a-verify-token"
	docWhatsAppErrors  = "docs/setup-whatsapp.md#10-common-errors"
)

// whatsapp reads each inbox's phone number (which proves the token and the
// id), then the webhook subscription of each WhatsApp Business Account.
func (c *checker) whatsapp(ctx context.Context) {
	w := c.cfg.WhatsApp
	if w.VerifyToken != "" {
		// Meta echoes it once, when the webhook is saved; only its
		// presence can be checked (an empty one is listed by config).
		c.ok("whatsapp", "webhook verify token", "set")
	}
	if w.AccessToken == "" {
		return // listed by config as a missing credential
	}
	client := whatsapp.NewClient(w.AccessToken)
	client.BaseURL, client.APIVersion, client.HTTPClient = w.GraphAPIURL, w.APIVersion, c.opts.HTTPClient
	for i, in := range w.Inboxes {
		name := fmt.Sprintf("inbox %q (phone_number_id %s)", inboxName(in.Name, i), in.PhoneNumberID)
		cctx, cancel := c.bounded(ctx)
		p, err := client.PhoneNumber(cctx, in.PhoneNumberID)
		cancel()
		if err != nil {
			if c.graphFailure(name, fmt.Sprintf("whatsapp.inboxes[%d].phone_number_id", i), err) {
				return // the token is refused: every other call would be too
			}
			continue
		}
		c.ok("whatsapp", name, fmt.Sprintf("%s, verified name %q", p.DisplayPhoneNumber, p.VerifiedName))
	}
	c.subscriptions(ctx, client)
}

func inboxName(name string, i int) string {
	if name != "" {
		return name
	}
	return fmt.Sprintf("#%d", i+1)
}

// subscriptions checks that some app receives each account's webhooks.
func (c *checker) subscriptions(ctx context.Context, client *whatsapp.Client) {
	var accounts []string
	seen := map[string]bool{}
	for _, in := range c.cfg.WhatsApp.Inboxes {
		if a := c.cfg.WhatsApp.AccountOf(in); a != "" && !seen[a] {
			seen[a] = true
			accounts = append(accounts, a)
		}
	}
	if len(accounts) == 0 {
		c.hint("whatsapp", "webhook subscription", "not checked: whatsapp.business_account_id is not set",
			"set whatsapp.business_account_id (the WABA id on API Setup) so the subscription and templates can be read", docWhatsAppIDs)
		return
	}
	for _, account := range accounts {
		name := fmt.Sprintf("webhook subscription of WABA %s", account)
		cctx, cancel := c.bounded(ctx)
		apps, err := client.SubscribedApps(cctx, account)
		cancel()
		if err != nil {
			c.graphFailure(name, "whatsapp.business_account_id", err)
			continue
		}
		if len(apps) == 0 {
			c.fail("whatsapp", name, "no app is subscribed to this account's webhooks: Meta delivers no customer message",
				"subscribe your app: POST /{waba-id}/subscribed_apps with the access token (the curl command in the guide)", docWhatsAppWebhook)
			continue
		}
		names := make([]string, len(apps))
		for i, a := range apps {
			names[i] = fmt.Sprintf("%q", a.Name)
		}
		c.ok("whatsapp", name, "subscribed: "+strings.Join(names, ", "))
	}
}

// graphFailure records a failed Graph call with the fix its error code
// calls for, and reports whether the token itself was refused.
func (c *checker) graphFailure(name, field string, err error) (tokenRefused bool) {
	var ge *whatsapp.GraphError
	if !errors.As(err, &ge) {
		c.fail("whatsapp", name, fmt.Sprintf("the Graph API did not answer: %v", err),
			"check whatsapp.graph_api_url and this host's outgoing HTTPS", docWhatsAppErrors)
		return false
	}
	detail := fmt.Sprintf("Graph API error %d", ge.Code)
	if ge.Subcode != 0 {
		detail += fmt.Sprintf("/%d", ge.Subcode)
	}
	if ge.Message != "" {
		detail += ": " + ge.Message
	}
	switch {
	case ge.Code == 190:
		c.fail("whatsapp", "access token", "invalid or expired ("+detail+")",
			"create a permanent System User token and set WHATSAPP_ACCESS_TOKEN (whatsapp.access_token)", docWhatsAppToken)
		return true
	case ge.Code == 100 || ge.Code == 33 || ge.Subcode == 33:
		c.fail("whatsapp", name, "unknown id, or not reachable with this token ("+detail+")",
			fmt.Sprintf("correct %s: copy it from WhatsApp → API Setup (an id, not the phone number)", field), docWhatsAppIDs)
	case ge.Code == 10 || ge.Code == 200:
		c.fail("whatsapp", name, "permission denied ("+detail+")",
			"assign the WhatsApp account to the System User and give the token whatsapp_business_messaging and whatsapp_business_management", docWhatsAppToken)
	default:
		c.fail("whatsapp", name, detail, "see what the code means in the guide's table", docWhatsAppErrors)
	}
	return false
}
