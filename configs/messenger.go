package configs

import "fmt"

// Messenger is the Facebook Messenger channel (issue 12, adapters/messenger,
// docs/setup-messenger.md): one Meta app receiving Page webhooks (object
// "page"), one inbox per Facebook Page.
type Messenger struct {
	// GraphAPIURL is the Graph API base URL; change it only for a proxy or
	// a test server. Default https://graph.facebook.com.
	GraphAPIURL string `yaml:"graph_api_url"`
	// APIVersion is the Graph API version of every call (default as
	// whatsapp.api_version).
	APIVersion string `yaml:"api_version"`
	// AppSecret verifies X-Hub-Signature-256 on every webhook.
	AppSecret string `yaml:"app_secret"`
	// VerifyToken is echoed back in the webhook subscription handshake.
	VerifyToken string `yaml:"verify_token"`
	// Inboxes are the Pages served.
	Inboxes []MessengerInbox `yaml:"inboxes"`
}

// MessengerInbox is one Facebook Page.
type MessengerInbox struct {
	PageID string `yaml:"page_id"`
	// AccessToken is the Page access token (pages_messaging).
	AccessToken string `yaml:"access_token"`
	Name        string `yaml:"name"`
	Team        string `yaml:"team"`
}

// DocMessenger is the Messenger setup guide error messages point to.
const DocMessenger = "docs/setup-messenger.md"

// validateMessenger fills the messenger section's defaults and checks it:
// URLs and version like whatsapp's, Page ids digits and unique across
// every channel's inboxes, a token per Page, the app secret and verify
// token whenever a Page is served, and each inbox's team.
func (c *Config) validateMessenger(d *decoder) {
	m := &c.Messenger
	if m.GraphAPIURL == "" {
		m.GraphAPIURL = DefaultGraphAPIURL
	}
	if m.APIVersion == "" {
		m.APIVersion = c.WhatsApp.APIVersion
		if m.APIVersion == "" {
			m.APIVersion = DefaultAPIVersion
		}
	}
	bad := func(path, format string, args ...any) {
		d.fail(d.lineOf(path), path, format, args...)
	}
	q := d.quote
	checkHTTPURL(bad, q, "messenger.graph_api_url", m.GraphAPIURL, "remove it for "+DefaultGraphAPIURL)
	if !apiVersionRE.MatchString(m.APIVersion) {
		bad("messenger.api_version", "%s is not a Graph API version; write it like %q", q("messenger.api_version", m.APIVersion), DefaultAPIVersion)
	}
	if len(m.Inboxes) == 0 {
		return
	}
	if m.AppSecret == "" {
		bad("messenger.app_secret", "is required to check webhook signatures: the App secret under App settings → Basic of the Meta app (see %s)", DocMessenger)
	}
	if m.VerifyToken == "" {
		bad("messenger.verify_token", "is required: invent a string and paste it as the Verify token of the Messenger webhook (see %s)", DocMessenger)
	}
	other := map[string]string{}
	for i, in := range c.WhatsApp.Inboxes {
		other[in.PhoneNumberID] = fmt.Sprintf("whatsapp.inboxes[%d]", i)
	}
	for i, in := range c.Instagram.Inboxes {
		other[in.AccountID] = fmt.Sprintf("instagram.inboxes[%d]", i)
	}
	for i, in := range m.Inboxes {
		p := fmt.Sprintf("messenger.inboxes[%d]", i)
		switch id := in.PageID; {
		case id == "":
			bad(p+".page_id", "is required: the Page ID shown in the Page's About → Page transparency, or in the Meta app under Messenger → Settings (see %s)", DocMessenger)
		case !digitsRE.MatchString(id):
			bad(p+".page_id", "%s must be digits only: the Page ID, not the Page's name or URL (see %s)", q(p+".page_id", id), DocMessenger)
		default:
			if prev, dup := other[id]; dup {
				bad(p+".page_id", "%s is already used by %s; each inbox id must be unique across channels", q(p+".page_id", id), prev)
			}
			other[id] = p
		}
		if in.AccessToken == "" {
			bad(p+".access_token", "is required: a Page access token with pages_messaging, generated in the Meta app under Messenger → Settings (see %s)", DocMessenger)
		}
		if in.Team != "" {
			if _, ok := c.Team(in.Team); !ok {
				bad(p+".team", "no team is called %s; declare it under teams or remove the key to use default_team", q(p+".team", in.Team))
			}
		}
	}
}

// messengerCredentials reports whether a Messenger secret is configured
// (HasPlatformCredentials).
func (c *Config) messengerCredentials() bool {
	if c.Messenger.AppSecret != "" {
		return true
	}
	for _, in := range c.Messenger.Inboxes {
		if in.AccessToken != "" {
			return true
		}
	}
	return false
}

// messengerSummary is check-config's Messenger lines; secrets show only as
// set or missing.
func (c *Config) messengerSummary(line func(string, ...any), secret func(string) string) {
	m := c.Messenger
	if len(m.Inboxes) == 0 {
		return
	}
	line("messenger: %s/%s, app secret %s, verify token %s", m.GraphAPIURL, m.APIVersion, secret(m.AppSecret), secret(m.VerifyToken))
	for _, in := range m.Inboxes {
		team := in.Team
		if team == "" {
			team = c.DefaultTeam + " (default)"
		}
		line("  page %s %q -> team %s, access token %s", in.PageID, in.Name, team, secret(in.AccessToken))
	}
}
