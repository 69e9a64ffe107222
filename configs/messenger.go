package configs

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

// validateMessenger checks the messenger section.
func (c *Config) validateMessenger(d *decoder) {
	_ = d // filled in by issue 12's Messenger branch
}
