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
		if msg := checkLocalizations(c["description_localizations"]); msg != "" {
			return fmt.Sprintf("%d.description_localizations%s", i, msg)
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
			if msg := checkLocalizations(opt["description_localizations"]); msg != "" {
				return fmt.Sprintf("%d.options.%d.description_localizations%s", i, j, msg)
			}
			if msg := checkChoices(opt["choices"]); msg != "" {
				return fmt.Sprintf("%d.options.%d.choices%s", i, j, msg)
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

// locales are the locales Discord accepts in *_localizations.
var locales = map[string]bool{
	"id": true, "da": true, "de": true, "en-GB": true, "en-US": true, "es-ES": true, "es-419": true, "fr": true,
	"hr": true, "it": true, "lt": true, "hu": true, "nl": true, "no": true, "pl": true, "pt-BR": true, "ro": true,
	"fi": true, "sv-SE": true, "vi": true, "tr": true, "cs": true, "el": true, "bg": true, "ru": true, "uk": true,
	"hi": true, "th": true, "zh-CN": true, "ja": true, "zh-TW": true, "ko": true,
}

// checkLocalizations checks a description_localizations map: known
// locales, 1-100 characters each.
func checkLocalizations(v any) string {
	m, _ := v.(map[string]any)
	for loc, text := range m {
		if !locales[loc] {
			return fmt.Sprintf(".%s: Invalid locale", loc)
		}
		s, _ := text.(string)
		if n := utf8.RuneCountInString(s); n == 0 || n > 100 {
			return fmt.Sprintf(".%s: Must be between 1 and 100 in length.", loc)
		}
	}
	return ""
}

// checkChoices checks an option's choices: at most 25, names of 1-100
// characters, string values of at most 100.
func checkChoices(v any) string {
	list, _ := v.([]any)
	if len(list) > 25 {
		return ": Must be 25 or fewer in length."
	}
	for k, c := range list {
		ch, _ := c.(map[string]any)
		name, _ := ch["name"].(string)
		if n := utf8.RuneCountInString(name); n == 0 || n > 100 {
			return fmt.Sprintf(".%d.name: Must be between 1 and 100 in length.", k)
		}
		if s, ok := ch["value"].(string); ok && utf8.RuneCountInString(s) > 100 {
			return fmt.Sprintf(".%d.value: Must be 100 or fewer in length.", k)
		}
	}
	return ""
}
