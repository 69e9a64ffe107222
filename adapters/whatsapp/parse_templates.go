package whatsapp

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/switchboard/switchboard/bridge"
)

// Webhook fields that announce changes to message templates; entry.id is
// the WhatsApp Business Account.
const (
	FieldTemplateStatus   = "message_template_status_update"
	FieldTemplateCategory = "template_category_update"
)

// wireTemplateChange is the value of either template field:
//
//	message_template_status_update: {event, message_template_id,
//	  message_template_name, message_template_language, reason,
//	  message_template_category, disable_info{disable_date},
//	  other_info{title, description}, rejection_info{reason, recommendation}}
//	template_category_update: {message_template_id, message_template_name,
//	  message_template_language, new_category, previous_category | correct_category}
//
// message_template_id is a JSON number in Meta's payloads; a string is
// accepted too.
type wireTemplateChange struct {
	Event      string     `json:"event"`
	TemplateID flexNumber `json:"message_template_id"`
	Name       string     `json:"message_template_name"`
	Language   string     `json:"message_template_language"`
	Reason     string     `json:"reason"`
	OtherInfo  *struct {
		Title       string `json:"title"`
		Description string `json:"description"`
	} `json:"other_info"`
	NewCategory string `json:"new_category"`
}

// errTemplateEvent marks a status event that says nothing about sending
// (see TemplateStatus); the change is skipped, not reported as dropped.
var errTemplateEvent = errors.New("template event without a status")

// parseTemplateChange reads one template change of entry account. An
// unreadable one is an error the caller drops: the next sync mends it,
// whereas failing the delivery would make Meta retry it for days.
func parseTemplateChange(account string, at time.Time, field string, value json.RawMessage) (bridge.TemplateUpdate, error) {
	var v wireTemplateChange
	if err := json.Unmarshal(value, &v); err != nil {
		return bridge.TemplateUpdate{}, fmt.Errorf("%s value: %w", field, err)
	}
	u := bridge.TemplateUpdate{Account: account, TemplateID: string(v.TemplateID), Name: v.Name, Language: v.Language, At: at}
	if u.TemplateID == "" && (u.Name == "" || u.Language == "") {
		return u, fmt.Errorf("%s names no template", field)
	}
	switch field {
	case FieldTemplateStatus:
		status, ok := TemplateStatus(v.Event)
		if !ok {
			return u, fmt.Errorf("%w: %q", errTemplateEvent, v.Event)
		}
		u.Status = status
		if !strings.EqualFold(v.Reason, "NONE") {
			u.Reason = v.Reason
		}
		if u.Reason == "" && v.OtherInfo != nil {
			u.Reason = v.OtherInfo.Description
		}
	case FieldTemplateCategory:
		if v.NewCategory == "" {
			return u, fmt.Errorf("%s without new_category", field)
		}
		u.Category = strings.ToUpper(v.NewCategory)
	}
	return u, nil
}
