package discordtest

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

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
