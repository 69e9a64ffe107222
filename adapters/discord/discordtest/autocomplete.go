package discordtest

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

// Autocomplete dispatches the INTERACTION_CREATE of type 4 Discord sends
// while someone types a command's options: the options typed so far,
// the one being typed (focused) marked "focused": true. The answer is a
// callback of type 8 whose choices Choices reads.
func (s *Server) Autocomplete(t testing.TB, c CommandSpec, focused string) Interaction {
	t.Helper()
	opts := []any{}
	for _, o := range c.Options {
		typ := o.Type
		if typ == 0 {
			typ = 3
		}
		opt := map[string]any{"name": o.Name, "type": typ, "value": o.Value}
		if o.Name == focused {
			opt["focused"] = true
		}
		opts = append(opts, opt)
	}
	data := map[string]any{"id": s.NewID(), "name": c.Name, "type": 1, "guild_id": GuildID, "options": opts}
	return s.interact(t, 4, c.ChannelID, c.User, data, nil)
}

// Choice is one autocomplete choice.
type Choice struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Choices reads the choices of an autocomplete result (type 8); nil for
// another kind of callback.
func (c Callback) Choices() []Choice {
	var body struct {
		Type int `json:"type"`
		Data struct {
			Choices []Choice `json:"choices"`
		} `json:"data"`
	}
	if json.Unmarshal(c.Payload, &body) != nil || body.Type != 8 {
		return nil
	}
	if body.Data.Choices == nil {
		return []Choice{}
	}
	return body.Data.Choices
}

// checkCommands applies Discord's rules for chat commands that a mistake
// in our definitions could break: names of 1-32 lower-case characters,
// descriptions of 1-100, at most 25 options, required options before
// optional ones. It returns the first problem, as a 50035 message would.
func checkCommands(cmds []map[string]any) string {
	text := func(v any) string { s, _ := v.(string); return s }
	for i, c := range cmds {
		name, desc := text(c["name"]), text(c["description"])
		if len(name) == 0 || len(name) > 32 || strings.ToLower(name) != name {
			return fmt.Sprintf("%d.name: Command name is invalid", i)
		}
		if n := utf8.RuneCountInString(desc); n == 0 || n > 100 {
			return fmt.Sprintf("%d.description: Must be between 1 and 100 in length.", i)
		}
		opts, _ := c["options"].([]any)
		if len(opts) > 25 {
			return fmt.Sprintf("%d.options: Must be 25 or fewer in length.", i)
		}
		optional := false
		for j, o := range opts {
			opt, _ := o.(map[string]any)
			if n := utf8.RuneCountInString(text(opt["description"])); n == 0 || n > 100 {
				return fmt.Sprintf("%d.options.%d.description: Must be between 1 and 100 in length.", i, j)
			}
			required, _ := opt["required"].(bool)
			if required && optional {
				return fmt.Sprintf("%d.options.%d.required: Required options must be placed before non-required options", i, j)
			}
			optional = optional || !required
		}
	}
	return ""
}
