package configs

import (
	"fmt"
	"strings"

	"github.com/switchboard/switchboard/bridge/contacts"
)

// Contacts configures the light CRM (issue 12, bridge/contacts,
// docs/contacts.md, docs/crm.md): the pipeline's stages, typed custom
// attributes, and the outbound webhook a business connects its own CRM to.
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

// Schema is the CRM schema the bridge checks agents' values against.
func (c Contacts) Schema() contacts.Schema {
	defs := make([]contacts.AttributeDef, 0, len(c.Attributes))
	for _, a := range c.Attributes {
		kind := contacts.AttributeKind(a.Type)
		if kind == "" {
			kind = contacts.KindText
		}
		defs = append(defs, contacts.AttributeDef{Name: a.Name, Kind: kind, Options: a.Options})
	}
	return contacts.NewSchema(c.Stages, defs)
}

// validateContacts checks the contacts section's stages and attributes
// (the webhook's fields are checked with the webhook).
func (c *Config) validateContacts(d *decoder) {
	bad := func(path, format string, args ...any) { d.fail(d.lineOf(path), path, format, args...) }
	seen := map[string]int{}
	for i, s := range c.Contacts.Stages {
		path := fmt.Sprintf("contacts.stages[%d]", i)
		key := strings.ToLower(strings.TrimSpace(s))
		if key == "" {
			bad(path, "a stage needs a name, e.g. qualified; remove the empty entry")
			continue
		}
		if j, dup := seen[key]; dup {
			bad(path, "stage %q is listed twice (also contacts.stages[%d]); remove one", s, j)
		}
		seen[key] = i
	}
	names := map[string]int{}
	for i, a := range c.Contacts.Attributes {
		path := fmt.Sprintf("contacts.attributes[%d]", i)
		if !contacts.ValidAttributeName(a.Name) {
			bad(path+".name", "attribute name %q must be lower case letters, digits and _ (starting with a letter, at most 40), e.g. plan or renewal_date", a.Name)
		}
		if j, dup := names[a.Name]; dup {
			bad(path+".name", "attribute %q is declared twice (also contacts.attributes[%d]); remove one", a.Name, j)
		}
		names[a.Name] = i
		switch contacts.AttributeKind(a.Type) {
		case "", contacts.KindText, contacts.KindNumber, contacts.KindDate:
			if len(a.Options) > 0 {
				bad(path+".options", "options are only for type: list; remove them or set type: list")
			}
		case contacts.KindList:
			if len(a.Options) == 0 {
				bad(path+".options", "a list attribute needs its options, e.g. options: [free, silver, gold]")
			}
			opts := map[string]bool{}
			for _, o := range a.Options {
				k := strings.ToLower(strings.TrimSpace(o))
				if k == "" || opts[k] {
					bad(path+".options", "option %q is empty or listed twice; each option once", o)
				}
				opts[k] = true
			}
		default:
			bad(path+".type", "type %q is not one of text, number, date, list", a.Type)
		}
	}
}
