package sandbox

import (
	"encoding/json"

	"github.com/switchboard/switchboard/adapters/slack/slacktest"
)

// Reading Block Kit: which element a click or an input names, so the
// payload carries what Slack would put there for that kind of element.

// findElement returns the interactive element actionID of block blockID
// (any block when blockID is ""): an actions block's element, a section's
// accessory or an input's element.
func findElement(blocks json.RawMessage, blockID, actionID string) map[string]any {
	var list []map[string]any
	if json.Unmarshal(blocks, &list) != nil {
		return nil
	}
	for _, b := range list {
		if id, _ := b["block_id"].(string); blockID != "" && id != blockID {
			continue
		}
		var candidates []any
		if els, ok := b["elements"].([]any); ok {
			candidates = append(candidates, els...)
		}
		candidates = append(candidates, b["accessory"], b["element"])
		for _, c := range candidates {
			if el, ok := c.(map[string]any); ok && el["action_id"] == actionID {
				return el
			}
		}
	}
	return nil
}

// stateOf is a view's state.values for the inputs the page filled in:
// each value shaped as Slack shapes the element's type.
func stateOf(view json.RawMessage, values map[string]map[string]string) slacktest.State {
	var v struct {
		Blocks json.RawMessage `json:"blocks"`
	}
	_ = json.Unmarshal(view, &v)
	state := slacktest.State{}
	for blockID, actions := range values {
		for actionID, value := range actions {
			if state[blockID] == nil {
				state[blockID] = map[string]slacktest.Input{}
			}
			state[blockID][actionID] = input(findElement(v.Blocks, blockID, actionID), value)
		}
	}
	return state
}

// input is one element's state holding value.
func input(el map[string]any, value string) slacktest.Input {
	typ, _ := el["type"].(string)
	switch typ {
	case "static_select", "external_select", "radio_buttons":
		text := value
		if o := optionWith(el, value); o != nil {
			if t, ok := o["text"].(map[string]any); ok {
				text, _ = t["text"].(string)
			}
		}
		return slacktest.Input{"type": typ, "selected_option": map[string]any{
			"text": map[string]any{"type": "plain_text", "text": text, "emoji": true}, "value": value}}
	case "users_select":
		return slacktest.Input{"type": typ, "selected_user": value}
	case "conversations_select":
		return slacktest.Input{"type": typ, "selected_conversation": value}
	case "channels_select":
		return slacktest.Input{"type": typ, "selected_channel": value}
	case "":
		typ = "plain_text_input"
	}
	return slacktest.Input{"type": typ, "value": value}
}

// optionWith finds the option of a select whose value is value, in its
// options or option groups.
func optionWith(el map[string]any, value string) map[string]any {
	var options []any
	if os, ok := el["options"].([]any); ok {
		options = append(options, os...)
	}
	if gs, ok := el["option_groups"].([]any); ok {
		for _, g := range gs {
			if gm, ok := g.(map[string]any); ok {
				if os, ok := gm["options"].([]any); ok {
					options = append(options, os...)
				}
			}
		}
	}
	for _, o := range options {
		if om, ok := o.(map[string]any); ok && om["value"] == value {
			return om
		}
	}
	return nil
}

// withValue is values with one more input set.
func withValue(values map[string]map[string]string, blockID, actionID, value string) map[string]map[string]string {
	out := map[string]map[string]string{}
	for b, as := range values {
		out[b] = map[string]string{}
		for a, v := range as {
			out[b][a] = v
		}
	}
	if out[blockID] == nil {
		out[blockID] = map[string]string{}
	}
	out[blockID][actionID] = value
	return out
}
