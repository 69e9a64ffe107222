package configs

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/switchboard/switchboard/bridge/canned"
)

// CannedResponse is one canned response: a name agents type ("!canned
// refund") and its text, one for every language or one per language:
//
//	canned_responses:
//	  - name: refund
//	    text:
//	      en: "Hi {{contact.first_name}}, your refund is on its way."
//	      es: "Hola {{contact.first_name}}, tu reembolso está en camino."
//	  - name: opening-hours
//	    text: "Mon–Fri 9:00–18:00"   # any language
//
// The top-level list is every team's; a team's own list (teams[].
// canned_responses) adds to it, and its version of a name shadows the
// global one in the same language.
type CannedResponse struct {
	Name string     `yaml:"name"`
	Text CannedText `yaml:"text"`
}

// AnyLanguage is the key of a text written for every language, in a
// per-language map ("any: …"); a plain text means the same.
const AnyLanguage = "any"

// CannedText is a response's text per language code; the key "" holds a
// text for any language.
type CannedText struct {
	ByLanguage map[string]string
	lines      map[string]int // language -> line of its text
	line       int
}

// UnmarshalYAML reads a plain text (any language) or a mapping of language
// codes to texts.
func (t *CannedText) UnmarshalYAML(n *yaml.Node) error {
	t.line, t.lines = n.Line, map[string]int{}
	switch n.Kind {
	case yaml.ScalarNode:
		t.ByLanguage = map[string]string{"": n.Value}
		t.lines[""] = n.Line
		return nil
	case yaml.MappingNode:
		t.ByLanguage = map[string]string{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if v.Kind != yaml.ScalarNode {
				return fmt.Errorf("the text in %q (line %d) must be a single text", k.Value, v.Line)
			}
			lang := k.Value
			if lang == AnyLanguage {
				lang = ""
			}
			if _, dup := t.ByLanguage[lang]; dup {
				return fmt.Errorf("%q is set twice (line %d); keep one", k.Value, k.Line)
			}
			t.ByLanguage[lang], t.lines[lang] = v.Value, v.Line
		}
		return nil
	}
	return errors.New("expected a text, or language codes with a text each (en: \"…\", es: \"…\")")
}

// Languages lists the text's languages in order ("" first).
func (t CannedText) Languages() []string { return slices.Sorted(maps.Keys(t.ByLanguage)) }

// CannedResponses is every canned response the configuration defines, the
// global ones with Team "".
func (c *Config) CannedResponses() []canned.Response {
	var out []canned.Response
	add := func(team string, list []CannedResponse) {
		for _, r := range list {
			for _, lang := range r.Text.Languages() {
				out = append(out, canned.Response{Team: team, Name: r.Name, Language: lang, Body: r.Text.ByLanguage[lang],
					Source: canned.SourceConfig})
			}
		}
	}
	add("", c.Canned)
	for _, t := range c.Teams {
		add(t.Name, t.Canned)
	}
	return out
}

// validateCanned checks the global and every team's canned responses:
// names, languages, variables (refused here, at load, rather than when an
// agent sends one) and names defined twice in one language.
func (c *Config) validateCanned(d *decoder) {
	check := func(path string, list []CannedResponse) {
		seen := map[string]int{} // name@language -> index
		for i, r := range list {
			p := fmt.Sprintf("%s[%d]", path, i)
			if err := canned.ValidName(r.Name); err != nil {
				d.fail(d.lineOf(p+".name"), p+".name", "%v", err)
			}
			if len(r.Text.ByLanguage) == 0 {
				d.fail(d.lineOf(p+".text"), p+".text", "is required: the text agents send, e.g. text: \"Hi {{contact.first_name}}, …\" or one per language (en: \"…\", es: \"…\")")
				continue
			}
			for _, lang := range r.Text.Languages() {
				lp, line := p+".text", d.lineOf(p+".text")
				if lang != "" {
					lp += "." + lang
				}
				if l, ok := r.Text.lines[lang]; ok {
					line = l
				}
				if err := canned.ValidLanguage(lang); err != nil {
					d.fail(line, lp, "%v (or %q for a text in any language)", err, AnyLanguage)
					continue
				}
				if err := canned.Validate(r.Text.ByLanguage[lang], canned.KnownWith(c.Contacts.Schema().AttributeNames())); err != nil {
					d.fail(line, lp, "%s", cannedProblem(err))
				}
				key := r.Name + "@" + lang
				if j, dup := seen[key]; dup && r.Name != "" {
					what := "in language " + lang
					if lang == "" {
						what = "for any language"
					}
					d.fail(line, lp, "%q is already defined %s by %s[%d]; a name has one text per language (merge them into one entry)", r.Name, what, path, j)
					continue
				}
				seen[key] = i
			}
		}
	}
	check("canned_responses", c.Canned)
	for i, t := range c.Teams {
		check(fmt.Sprintf("teams[%d].canned_responses", i), t.Canned)
	}
}

// cannedProblem explains why a canned text is refused, naming the fix.
func cannedProblem(err error) string {
	var uv *canned.UnknownVariableError
	if errors.As(err, &uv) {
		msg := fmt.Sprintf("unknown variable {{%s}}", uv.Name)
		if s := suggest(uv.Name, canned.Variables); s != "" {
			msg += fmt.Sprintf("; did you mean {{%s}}?", s)
		}
		return msg + " The variables are " + CannedVariables()
	}
	if errors.Is(err, canned.ErrEmpty) {
		return "is empty; write the text agents send"
	}
	return err.Error()
}

// CannedVariables lists the variables a canned text may use, as written.
func CannedVariables() string {
	names := make([]string, len(canned.Variables))
	for i, v := range canned.Variables {
		names[i] = "{{" + v + "}}"
	}
	return strings.Join(names, ", ")
}

// cannedSummary is the check-config line of the canned responses.
func cannedSummary(list []CannedResponse) string {
	if len(list) == 0 {
		return "none"
	}
	names := make([]string, 0, len(list))
	for _, r := range list {
		langs := r.Text.Languages()
		for i, l := range langs {
			if l == "" {
				langs[i] = AnyLanguage
			}
		}
		names = append(names, fmt.Sprintf("%s (%s)", r.Name, strings.Join(langs, ", ")))
	}
	return strings.Join(names, "; ")
}
