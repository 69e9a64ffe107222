package configs

import (
	"fmt"
	"strings"
)

// DocInstagram explains how to connect an Instagram professional account.
const DocInstagram = "docs/setup-instagram.md"

// Instagram's default API roots: Instagram Login's host, and the Graph API
// host a Page-linked account sends through.
const (
	DefaultInstagramAPIURL = "https://graph.instagram.com"
	DefaultPageGraphAPIURL = "https://graph.facebook.com"
)

// Instagram is the Instagram Direct channel (issue 12, adapters/instagram,
// docs/setup-instagram.md): Instagram messaging webhooks (object
// "instagram"), one inbox per Instagram professional account, through the
// Instagram API with Instagram Login (graph.instagram.com) or through the
// Facebook Page the account is linked to (graph.facebook.com).
type Instagram struct {
	// GraphAPIURL is the API base URL of inboxes without page_id
	// (Instagram Login): https://graph.instagram.com by default; change it
	// only for a proxy or a test server.
	GraphAPIURL string `yaml:"graph_api_url"`
	// PageGraphAPIURL is the API base URL of inboxes with page_id (the
	// Messenger API for Instagram): https://graph.facebook.com by default.
	PageGraphAPIURL string `yaml:"page_graph_api_url"`
	// APIVersion is the version of every call (default as
	// whatsapp.api_version).
	APIVersion string `yaml:"api_version"`
	// AppSecret verifies X-Hub-Signature-256 on every webhook.
	AppSecret string `yaml:"app_secret"`
	// VerifyToken is echoed back in the webhook subscription handshake.
	VerifyToken string           `yaml:"verify_token"`
	Inboxes     []InstagramInbox `yaml:"inboxes"`
}

// InstagramInbox is one Instagram professional account.
type InstagramInbox struct {
	// AccountID is the Instagram professional account's id (IG user id) that
	// webhooks name as recipient.
	AccountID string `yaml:"account_id"`
	// AccessToken is the Instagram user access token (Instagram Login) or
	// the linked Page's access token (through a Page).
	AccessToken string `yaml:"access_token"`
	// PageID, when set, sends through that Facebook Page (Messenger API for
	// Instagram) instead of Instagram Login.
	PageID string `yaml:"page_id"`
	Name   string `yaml:"name"`
	Team   string `yaml:"team"`
}

// ThroughPage reports whether the inbox sends through its linked Facebook
// Page rather than with Instagram Login.
func (in InstagramInbox) ThroughPage() bool { return in.PageID != "" }

// instagramDefaults fills the section's defaults. Called from
// validateInstagram, which runs after the general defaults.
func (c *Config) instagramDefaults() {
	ig := &c.Instagram
	if ig.GraphAPIURL == "" {
		ig.GraphAPIURL = DefaultInstagramAPIURL
	}
	if ig.PageGraphAPIURL == "" {
		ig.PageGraphAPIURL = DefaultPageGraphAPIURL
	}
	if ig.APIVersion == "" {
		ig.APIVersion = DefaultAPIVersion
	}
}

// validateInstagram checks the instagram section.
func (c *Config) validateInstagram(d *decoder) {
	c.instagramDefaults()
	bad := func(path, format string, args ...any) {
		d.fail(d.lineOf(path), path, format, args...)
	}
	q := d.quote
	ig := c.Instagram
	checkHTTPURL(bad, q, "instagram.graph_api_url", ig.GraphAPIURL, "remove it for "+DefaultInstagramAPIURL)
	checkHTTPURL(bad, q, "instagram.page_graph_api_url", ig.PageGraphAPIURL, "remove it for "+DefaultPageGraphAPIURL)
	if !apiVersionRE.MatchString(ig.APIVersion) {
		bad("instagram.api_version", "%s is not a Graph API version; write it like %q", q("instagram.api_version", ig.APIVersion), DefaultAPIVersion)
	}
	if len(ig.Inboxes) == 0 {
		return
	}
	if ig.AppSecret == "" {
		bad("instagram.app_secret", "is required to check that webhooks come from Meta: the app secret under App settings → Basic in the Meta app (see %s)", DocInstagram)
	}
	if ig.VerifyToken == "" {
		bad("instagram.verify_token", "is required for Meta's webhook handshake: any random string, typed again in the Meta app's Instagram webhook settings (see %s)", DocInstagram)
	}
	// Inbox ids are one namespace across channels: a conversation's inbox
	// names its channel.
	others := map[string]string{}
	for i, in := range c.WhatsApp.Inboxes {
		others[in.PhoneNumberID] = fmt.Sprintf("whatsapp.inboxes[%d].phone_number_id", i)
	}
	for i, in := range c.Messenger.Inboxes {
		others[in.PageID] = fmt.Sprintf("messenger.inboxes[%d].page_id", i)
	}
	seen := map[string]int{}
	for i, in := range ig.Inboxes {
		p := fmt.Sprintf("instagram.inboxes[%d]", i)
		switch id := in.AccountID; {
		case id == "":
			bad(p+".account_id", "is required: the Instagram professional account's id (see %s)", DocInstagram)
		case !digitsRE.MatchString(id):
			hint := "must be digits only: the account's id, not its @username"
			if strings.HasPrefix(id, "@") || !strings.ContainsAny(id, "0123456789") {
				hint = "looks like a username; use the account's numeric id (GET /me?fields=user_id with its token)"
			}
			bad(p+".account_id", "%s %s (see %s)", q(p+".account_id", id), hint, DocInstagram)
		default:
			if j, dup := seen[id]; dup {
				bad(p+".account_id", "%s is already used by instagram.inboxes[%d]; list each account once", q(p+".account_id", id), j)
			} else if other, dup := others[id]; dup {
				bad(p+".account_id", "%s is already the inbox id of %s; inbox ids must be unique across channels", q(p+".account_id", id), other)
			}
			seen[id] = i
		}
		if in.AccessToken == "" {
			what := "the Instagram user access token from Instagram Login (instagram_business_basic, instagram_business_manage_messages)"
			if in.ThroughPage() {
				what = "the linked Page's access token (instagram_manage_messages, pages_messaging)"
			}
			bad(p+".access_token", "is required: %s (see %s)", what, DocInstagram)
		}
		if in.PageID != "" {
			switch {
			case !digitsRE.MatchString(in.PageID):
				bad(p+".page_id", "%s must be digits only: the Facebook Page's id (Page → About → Page transparency), or remove it to use Instagram Login", q(p+".page_id", in.PageID))
			case in.PageID == in.AccountID:
				bad(p+".page_id", "is the same as account_id; it must be the linked Facebook Page's id, or remove it to use Instagram Login")
			}
		}
		if in.Team != "" {
			if _, ok := c.Team(in.Team); !ok {
				bad(p+".team", "no team is called %s; name one of the teams, or remove it for the default team", q(p+".team", in.Team))
			}
		}
	}
}

// instagramSummary is check-config's account of the instagram section
// (nothing when no account is configured).
func (c *Config) instagramSummary(line func(string, ...any), secret func(string) string) {
	ig := c.Instagram
	if len(ig.Inboxes) == 0 {
		return
	}
	line("instagram: %s and %s (through a Page)/%s, app secret %s, verify token %s",
		ig.GraphAPIURL, ig.PageGraphAPIURL, ig.APIVersion, secret(ig.AppSecret), secret(ig.VerifyToken))
	for _, in := range ig.Inboxes {
		team := in.Team
		if team == "" {
			team = c.DefaultTeam + " (default)"
		}
		mode := "Instagram Login"
		if in.ThroughPage() {
			mode = "through Page " + in.PageID
		}
		line("  inbox %s %q -> team %s, %s, access token %s", in.AccountID, in.Name, team, mode, secret(in.AccessToken))
	}
}

// instagramCredentials are the section's secrets (HasPlatformCredentials).
func (c *Config) instagramCredentials() []string {
	out := []string{c.Instagram.AppSecret}
	for _, in := range c.Instagram.Inboxes {
		out = append(out, in.AccessToken)
	}
	return out
}
