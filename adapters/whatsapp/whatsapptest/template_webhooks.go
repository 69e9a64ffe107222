package whatsapptest

import (
	"encoding/json"
	"strconv"
	"time"

	"github.com/switchboard/switchboard/bridge/templates"
)

// templateEnvelope wraps one template change for account the way Meta
// sends it: entry.id is the WABA, entry.time the Unix time of the change.
func templateEnvelope(account, field string, at time.Time, value map[string]any) []byte {
	b, err := json.Marshal(map[string]any{
		"object": "whatsapp_business_account",
		"entry": []map[string]any{{
			"id":      account,
			"time":    at.Unix(),
			"changes": []map[string]any{{"value": value, "field": field}},
		}},
	})
	if err != nil {
		panic(err) // only maps of plain values: cannot fail
	}
	return b
}

// templateID is the id as Meta puts it in webhooks: a JSON number.
func templateID(id string) any {
	if _, err := strconv.ParseInt(id, 10, 64); err == nil {
		return json.Number(id)
	}
	return id
}

// TemplateStatusWebhook builds a message_template_status_update delivery
// for t (its Account, ID, Name, Language and Category): event is the new
// status ("APPROVED", "REJECTED", "PAUSED", "DISABLED", …), reason Meta's
// reason ("NONE" when empty). A PAUSED event carries other_info as Meta's
// do; description, when not empty, is its text.
func TemplateStatusWebhook(t templates.Template, event, reason, description string, at time.Time) []byte {
	if reason == "" {
		reason = "NONE"
	}
	value := map[string]any{
		"event":                     event,
		"message_template_id":       templateID(t.ID),
		"message_template_name":     t.Name,
		"message_template_language": t.Language,
		"reason":                    reason,
	}
	if t.Category != "" {
		value["message_template_category"] = t.Category
	}
	switch event {
	case "PAUSED":
		value["other_info"] = map[string]any{"title": "FIRST_PAUSE", "description": description}
	case "DISABLED":
		value["disable_info"] = map[string]any{"disable_date": at.Unix()}
	case "REJECTED":
		if description != "" {
			value["rejection_info"] = map[string]any{"reason": description, "recommendation": "Edit the template and submit it again."}
		}
	}
	return templateEnvelope(t.Account, "message_template_status_update", at, value)
}

// TemplateCategoryWebhook builds a template_category_update delivery: t
// moved from previous to category.
func TemplateCategoryWebhook(t templates.Template, previous, category string, at time.Time) []byte {
	return templateEnvelope(t.Account, "template_category_update", at, map[string]any{
		"message_template_id":       templateID(t.ID),
		"message_template_name":     t.Name,
		"message_template_language": t.Language,
		"previous_category":         previous,
		"new_category":              category,
	})
}
