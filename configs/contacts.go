package configs

// Contacts configures the light CRM (issue 12, bridge/contacts,
// docs/crm.md): the pipeline's stages, typed custom attributes, and the
// outbound webhook a business connects its own CRM to.
type Contacts struct {
	// Stages are the pipeline's stages in order; default lead, qualified,
	// customer, lost.
	Stages []string `yaml:"stages"`
	// Attributes declares typed custom attributes; undeclared ones are text.
	Attributes []ContactAttribute `yaml:"attributes"`
	// Webhook sends contact and conversation changes to a URL.
	Webhook CRMWebhook `yaml:"webhook"`
}

// ContactAttribute declares one custom attribute.
type ContactAttribute struct {
	Name    string   `yaml:"name"`
	Type    string   `yaml:"type"` // text, number, date, list
	Options []string `yaml:"options"`
}

// CRMWebhook is the outbound CRM webhook.
type CRMWebhook struct {
	// URL receives a signed POST per change; empty: no webhook.
	URL string `yaml:"url"`
	// Secret signs each body (HMAC-SHA256).
	Secret string `yaml:"secret"`
	// Events limits what is sent (default: every change kind).
	Events []string `yaml:"events"`
}

// validateContacts checks the contacts section.
func (c *Config) validateContacts(d *decoder) {
	_ = d // filled in by issue 12's CRM branches
}
