// Package canned is the domain of canned responses: short texts agents
// send with one command, written once per team (or for every team) and per
// language, with variables such as {{contact.first_name}} filled in at
// send time. It is pure and does not import bridge.
package canned

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
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

// Sources of a response.
const (
	SourceConfig = "config"
	SourceChat   = "chat"
)

// Key identifies a response: one name in one language of one team.
func (r Response) Key() string { return r.Team + "/" + r.Name + "@" + r.Language }

// Variables every canned response may use. Contact attributes add
// "contact.<attribute>" names when they exist.
var Variables = []string{"contact.name", "contact.first_name", "agent.name", "team.name", "conversation.id"}

// Known reports whether name is one of Variables: what Validate accepts
// when saving from the chat tool or loading the config.
func Known(name string) bool { return slices.Contains(Variables, name) }

// KnownWith is Known that also accepts "contact.<attribute>" for each of
// the declared contact attributes (configs' contacts.attributes).
func KnownWith(attributes []string) func(name string) bool {
	return func(name string) bool {
		attr, ok := strings.CutPrefix(name, "contact.")
		return Known(name) || (ok && slices.Contains(attributes, attr))
	}
}

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

// ErrEmpty is returned by Validate for a body with no visible text.
var ErrEmpty = fmt.Errorf("empty canned response")

// MaxBodyChars bounds a body: WhatsApp takes 4,096 characters of text, and
// the variables filled in need some room.
const MaxBodyChars = 3000

// Validate refuses a body that uses a variable known does not accept: a
// typo is caught when the response is saved, not when an agent sends it.
// It also refuses an empty or overlong body.
func Validate(body string, known func(name string) bool) error {
	if strings.TrimSpace(body) == "" {
		return ErrEmpty
	}
	if n := len([]rune(body)); n > MaxBodyChars {
		return fmt.Errorf("the text has %d characters; keep it under %d (WhatsApp's limit, with room for the variables)", n, MaxBodyChars)
	}
	for _, n := range Names(body) {
		if !known(n) {
			return &UnknownVariableError{Name: n}
		}
	}
	return nil
}

// Render fills body's variables from values. A variable without a value
// disappears with the space before it, so "Hola {{contact.first_name}},"
// reads "Hola," rather than "Hola ,".
func Render(body string, values map[string]string) string {
	var b strings.Builder
	last := 0
	for _, m := range variable.FindAllStringSubmatchIndex(body, -1) {
		before := body[last:m[0]]
		v := strings.TrimSpace(values[body[m[2]:m[3]]])
		if v == "" {
			before = strings.TrimRightFunc(before, func(r rune) bool { return r == ' ' || r == '\t' })
		}
		b.WriteString(before)
		b.WriteString(v)
		last = m[1]
	}
	b.WriteString(body[last:])
	return strings.TrimSpace(b.String())
}

// Missing lists the variables body uses that values leaves empty: the
// preview warns about them.
func Missing(body string, values map[string]string) []string {
	var out []string
	for _, n := range Names(body) {
		if strings.TrimSpace(values[n]) == "" {
			out = append(out, n)
		}
	}
	return out
}

// FirstName is the first word of a person's name ("Ana María García" →
// "Ana"), for {{contact.first_name}}.
func FirstName(name string) string {
	f := strings.FieldsFunc(name, func(r rune) bool { return unicode.IsSpace(r) || r == ',' })
	if len(f) == 0 {
		return ""
	}
	return f[0]
}

// MaxNameLen bounds a name: it travels in button values (Slack and
// Discord allow about 60 bytes for ours, with the language).
const MaxNameLen = 32

var slugRE = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// ValidName reports why name cannot name a response, or nil: a lowercase
// slug (a-z, 0-9, single dashes) of at most MaxNameLen characters.
func ValidName(name string) error {
	switch {
	case name == "":
		return fmt.Errorf("a name is required: a short lowercase slug such as \"refund-policy\"")
	case len(name) > MaxNameLen:
		return fmt.Errorf("%q is longer than %d characters", name, MaxNameLen)
	case !slugRE.MatchString(name):
		return fmt.Errorf("%q must be a lowercase slug (a-z, 0-9 and single dashes), e.g. %q", name, Slug(name))
	}
	return nil
}

// Slug suggests a valid name for s.
func Slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		} else {
			dash = true
		}
	}
	out := b.String()
	if len(out) > MaxNameLen {
		out = strings.TrimRight(out[:MaxNameLen], "-")
	}
	if out == "" {
		return "reply"
	}
	return out
}

var languageRE = regexp.MustCompile(`^[a-z]{2,3}$`)

// ValidLanguage reports why lang cannot be a response's language, or nil:
// a lowercase ISO 639 code ("en", "es", "pt"), or "" for any language.
// Country variants are not told apart: a customer's language is learnt
// as "pt", whether they write from Brazil or Portugal.
func ValidLanguage(lang string) error {
	if lang == "" || languageRE.MatchString(lang) {
		return nil
	}
	base, _, _ := strings.Cut(strings.ReplaceAll(lang, "_", "-"), "-")
	if languageRE.MatchString(strings.ToLower(base)) {
		return fmt.Errorf("%q: write the language alone, %q (canned responses are per language, not per country)", lang, strings.ToLower(base))
	}
	return fmt.Errorf("%q is not a language code; write it like \"en\", \"es\" or \"pt\"", lang)
}

// Pick chooses which version of name a conversation gets from list (the
// team's responses and the global ones): the first language of langs that
// has a version ("" in langs stands for a version written for any
// language), else any version; at each language the team's own version
// shadows a global one. ok is false when list has no such name.
func Pick(list []Response, name string, langs ...string) (Response, bool) {
	var versions []Response
	for _, r := range list {
		if r.Name == name {
			versions = append(versions, r)
		}
	}
	if len(versions) == 0 {
		return Response{}, false
	}
	for _, lang := range append(slices.Clip(langs), "") {
		if r, ok := best(versions, lang); ok {
			return r, true
		}
	}
	slices.SortFunc(versions, func(a, b Response) int { return strings.Compare(a.Language+a.Team, b.Language+b.Team) })
	for _, r := range versions {
		if r.Team != "" {
			return r, true
		}
	}
	return versions[0], true
}

// best is the version in lang, the team's before the global one.
func best(versions []Response, lang string) (Response, bool) {
	var global *Response
	for i, r := range versions {
		if r.Language != lang {
			continue
		}
		if r.Team != "" {
			return r, true
		}
		global = &versions[i]
	}
	if global != nil {
		return *global, true
	}
	return Response{}, false
}

// Visible drops the global versions a team's own version shadows (same
// name and language), keeping list's order.
func Visible(list []Response) []Response {
	own := map[string]bool{}
	for _, r := range list {
		if r.Team != "" {
			own[r.Name+"@"+r.Language] = true
		}
	}
	var out []Response
	for _, r := range list {
		if r.Team == "" && own[r.Name+"@"+r.Language] {
			continue
		}
		out = append(out, r)
	}
	return out
}

// Ref is how a button or a picker names one version: "name@lang"
// ("name@" for an any-language version).
func Ref(name, lang string) string { return name + "@" + lang }

// ParseRef reads a Ref; a bare name has no language (ok is still true).
func ParseRef(s string) (name, lang string, ok bool) {
	name, lang, _ = strings.Cut(strings.TrimSpace(s), "@")
	return name, lang, ValidName(name) == nil && ValidLanguage(lang) == nil
}
