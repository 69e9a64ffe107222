package whatsapp

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/switchboard/switchboard/bridge"
	"github.com/switchboard/switchboard/bridge/templates"
)

// DefaultTemplatePageSize is how many templates ListTemplates asks for per
// page unless Client.TemplatePageSize says otherwise. Graph answers 25 by
// default; a larger page means fewer calls for the hundreds of templates a
// busy account keeps.
const DefaultTemplatePageSize = 100

// maxTemplatePages bounds one listing, so a Graph that kept handing out
// new cursors could not hold a sync forever (250 pages of 100 is far
// beyond Meta's limit of templates per account).
const maxTemplatePages = 250

// templateFields are the fields ListTemplates asks Graph for; Graph only
// returns those asked for (and id).
const templateFields = "id,name,language,status,category,parameter_format,components,rejected_reason"

var _ bridge.TemplateSource = (*Client)(nil)

// wireTemplate is one template of a GET /{waba-id}/message_templates page.
type wireTemplate struct {
	ID              string                `json:"id"`
	Name            string                `json:"name"`
	Language        string                `json:"language"`
	Status          string                `json:"status"`
	Category        string                `json:"category"`
	ParameterFormat string                `json:"parameter_format"`
	Components      []templates.Component `json:"components"`
	RejectedReason  string                `json:"rejected_reason"`
}

type templatePage struct {
	Data   []json.RawMessage `json:"data"`
	Paging struct {
		Cursors struct {
			After string `json:"after"`
		} `json:"cursors"`
		Next string `json:"next"`
	} `json:"paging"`
}

// ListTemplates reads every message template of the WhatsApp Business
// Account, in every language and status, following Graph's cursor paging
// until the last page (the one without paging.next). Each next page is
// asked of our own endpoint with the after cursor rather than by following
// the next URL, so the token never goes to a host Graph names. A template
// Graph sends in a shape we cannot read is left out rather than failing
// the sync: the others stay current. Errors are *bridge.DeliveryError.
func (c *Client) ListTemplates(ctx context.Context, account string) ([]templates.Template, error) {
	if account == "" {
		return nil, &bridge.DeliveryError{Permanent: true, Reason: bridge.ReasonInvalidRequest, Code: "no_account",
			Err: fmt.Errorf("list templates: empty whatsapp business account id")}
	}
	var out []templates.Template
	after := ""
	for page := 0; ; page++ {
		if page == maxTemplatePages {
			return nil, &bridge.DeliveryError{Reason: bridge.ReasonTemporary, Code: "too_many_pages",
				Err: fmt.Errorf("list templates of %s: more than %d pages", account, maxTemplatePages)}
		}
		size := c.TemplatePageSize
		if size <= 0 {
			size = DefaultTemplatePageSize
		}
		q := url.Values{"fields": {templateFields}, "limit": {strconv.Itoa(size)}}
		if after != "" {
			q.Set("after", after)
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.endpoint(account, "message_templates")+"?"+q.Encode(), nil)
		if err != nil {
			return nil, &bridge.DeliveryError{Permanent: true, Reason: bridge.ReasonInvalidRequest, Code: "request", Err: err}
		}
		var p templatePage
		if err := c.do(req, &p); err != nil {
			return nil, fmt.Errorf("list templates of %s, page %d: %w", account, page+1, err)
		}
		for _, raw := range p.Data {
			var w wireTemplate
			if json.Unmarshal(raw, &w) != nil || w.Name == "" || w.Language == "" {
				continue
			}
			out = append(out, templateFromWire(account, w))
		}
		if p.Paging.Next == "" {
			return out, nil
		}
		if p.Paging.Cursors.After == "" || p.Paging.Cursors.After == after {
			return nil, &bridge.DeliveryError{Reason: bridge.ReasonTemporary, Code: "bad_response",
				Err: fmt.Errorf("list templates of %s: page %d has a next page but no new cursor", account, page+1)}
		}
		after = p.Paging.Cursors.After
	}
}

func templateFromWire(account string, w wireTemplate) templates.Template {
	reason := w.RejectedReason
	if strings.EqualFold(reason, "NONE") {
		reason = ""
	}
	status, _ := TemplateStatus(w.Status)
	return templates.Template{
		Account: account, ID: w.ID, Name: w.Name, Language: w.Language,
		Category: strings.ToUpper(w.Category), Status: status,
		ParameterFormat: strings.ToUpper(w.ParameterFormat), Components: w.Components, Reason: reason,
	}
}

// TemplateStatus reads a status as Graph lists it, or an event of a
// message_template_status_update webhook, into our Status. ok is false for
// events that say nothing about whether the template can be sent: LOCKED
// and UNLOCKED are about editing, and UNARCHIVED restores a status the
// event does not name (the next sync reads it).
func TemplateStatus(s string) (status templates.Status, ok bool) {
	switch s = strings.ToUpper(strings.TrimSpace(s)); s {
	case "PENDING_DELETION", "DELETED", "ARCHIVED":
		return templates.StatusDeleted, true
	case "REINSTATED":
		// No longer flagged or disabled: it can be sent again.
		return templates.StatusApproved, true
	case "LOCKED", "UNLOCKED", "UNARCHIVED", "":
		return templates.Status(s), false
	}
	return templates.Status(s), true
}
