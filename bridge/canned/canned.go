// Package canned is the domain of canned responses: short texts agents
// send with one command, written once per team (or for every team) and per
// language, with variables such as {{contact.first_name}} filled in at
// send time. It is pure and does not import bridge.
package canned

import (
	"fmt"
	"regexp"
	"strings"
	"time"
)

// Response is one canned response in one language. Team "" is global.
type Response struct {
	Team     string
	Name     string // a short slug agents type: "refund-policy"
	Language string // "en", "es", "pt"…; "" for any language
	Body     string
	// Source says who owns it: "config" (the YAML file; edits there win
	// at start-up) or "chat" (added or edited from Slack or Discord).
	Source    string
	UpdatedBy string // workspace user id of the last editor ("" for config)
	UpdatedAt time.Time
}

// Variables every canned response may use. Contact attributes add
// "contact.<attribute>" names when they exist.
var Variables = []string{"contact.name", "contact.first_name", "agent.name", "team.name", "conversation.id"}

var variable = regexp.MustCompile(`\{\{\s*([^{}]*?)\s*\}\}`)

// Names lists the variables body uses, in order of first appearance.
func Names(body string) []string {
	var out []string
	seen := map[string]bool{}
	for _, m := range variable.FindAllStringSubmatch(body, -1) {
		if !seen[m[1]] {
			seen[m[1]] = true
			out = append(out, m[1])
		}
	}
	return out
}

// UnknownVariableError names a variable a body uses that is not known.
type UnknownVariableError struct{ Name string }

func (e *UnknownVariableError) Error() string {
	return fmt.Sprintf("unknown variable {{%s}}", e.Name)
}

// Validate refuses a body that uses a variable known does not accept: a
// typo is caught when the response is saved, not when an agent sends it.
func Validate(body string, known func(name string) bool) error {
	if strings.TrimSpace(body) == "" {
		return fmt.Errorf("empty canned response")
	}
	for _, n := range Names(body) {
		if !known(n) {
			return &UnknownVariableError{Name: n}
		}
	}
	return nil
}

// Render fills body's variables from values; a variable without a value
// becomes empty text (and the space before it goes with it).
func Render(body string, values map[string]string) string {
	out := variable.ReplaceAllStringFunc(body, func(m string) string {
		return values[variable.FindStringSubmatch(m)[1]]
	})
	return strings.TrimSpace(out)
}
