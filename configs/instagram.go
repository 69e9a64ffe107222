package configs

// Instagram is the Instagram Direct channel (issue 12, adapters/instagram,
// docs/setup-instagram.md): Instagram messaging webhooks (object
// "instagram"), one inbox per Instagram professional account, through the
// Instagram API with Instagram Login (graph.instagram.com) or through the
// Facebook Page the account is linked to (graph.facebook.com).
type Instagram struct {
	// GraphAPIURL is the API base URL: https://graph.instagram.com for
	// Instagram Login (the default), https://graph.facebook.com through a
	// Page; change it otherwise only for a proxy or a test server.
	GraphAPIURL string           `yaml:"graph_api_url"`
	APIVersion  string           `yaml:"api_version"`
	AppSecret   string           `yaml:"app_secret"`
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

// validateInstagram checks the instagram section.
func (c *Config) validateInstagram(d *decoder) {
	_ = d // filled in by issue 12's Instagram branch
}
