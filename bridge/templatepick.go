package bridge

import (
	"fmt"
	"sort"
	"strings"

	"github.com/switchboard/switchboard/bridge/templates"
)

// Choosing which template a send means. These functions are pure: given
// an account's templates and what the agent wrote, they say which one, or
// why none; templatesend.go turns that into a send or a private answer.

// templatePick is what pickTemplate found.
type templatePick struct {
	Template templates.Template
	Found    bool
	// Languages, when nothing was found, are the languages the name
	// exists in (none: no template has that name); the agent must pick
	// one with "name@language".
	Languages []string
	// Ambiguous: the customer's language matches several of them
	// (es_ES and es_MX for a customer writing Spanish).
	Ambiguous bool
}

// pickTemplate finds the template called name that a send means: in the
// language asked for ("name@pt_BR"; a bare base language "pt" is enough
// when only one pt_* exists), else in the customer's language (Meta codes
// matched by their base language, the exact code first), else the only
// language it exists in. Deleted templates do not count.
func pickTemplate(all []templates.Template, name, asked, customer string) templatePick {
	var same []templates.Template
	for _, t := range all {
		if strings.EqualFold(t.Name, name) && t.Status != templates.StatusDeleted {
			same = append(same, t)
		}
	}
	var pick templatePick
	for _, t := range same {
		pick.Languages = append(pick.Languages, t.Language)
	}
	sort.Strings(pick.Languages)
	if len(same) == 0 {
		return pick
	}
	if asked != "" {
		if t, ok := byLanguage(same, asked); ok {
			return templatePick{Template: t, Found: true}
		}
		return pick
	}
	if customer != "" {
		if t, ok := byLanguage(same, customer); ok {
			return templatePick{Template: t, Found: true}
		}
		if matching := sameBase(same, customer); len(matching) > 1 {
			pick.Ambiguous = true
			return pick
		}
	}
	if len(same) == 1 {
		return templatePick{Template: same[0], Found: true}
	}
	return pick
}

// byLanguage finds the template in code exactly ("pt_BR", "pt-BR" alike),
// or, for a code without a region, the only one of that base language.
func byLanguage(list []templates.Template, code string) (templates.Template, bool) {
	norm := strings.ReplaceAll(strings.TrimSpace(code), "-", "_")
	for _, t := range list {
		if strings.EqualFold(t.Language, norm) {
			return t, true
		}
	}
	if strings.Contains(norm, "_") {
		return templates.Template{}, false
	}
	if matching := sameBase(list, norm); len(matching) == 1 {
		return matching[0], true
	}
	return templates.Template{}, false
}

func sameBase(list []templates.Template, code string) []templates.Template {
	base := templates.BaseLanguage(code)
	var out []templates.Template
	for _, t := range list {
		if templates.BaseLanguage(t.Language) == base {
			out = append(out, t)
		}
	}
	return out
}

// approvedFor keeps the approved templates of list, sorted for a
// customer speaking lang: that language's first, then by name and
// language.
func approvedFor(list []templates.Template, lang string) []templates.Template {
	var out []templates.Template
	for _, t := range list {
		if t.Status.Usable() {
			out = append(out, t)
		}
	}
	base := templates.BaseLanguage(lang)
	sort.SliceStable(out, func(i, j int) bool {
		mi := base != "" && templates.BaseLanguage(out[i].Language) == base
		mj := base != "" && templates.BaseLanguage(out[j].Language) == base
		if mi != mj {
			return mi
		}
		if out[i].Name != out[j].Name {
			return out[i].Name < out[j].Name
		}
		return out[i].Language < out[j].Language
	})
	return out
}

// searchTemplates keeps the templates whose name or language contains
// search, ignoring case ("" keeps all).
func searchTemplates(list []templates.Template, search string) []templates.Template {
	search = strings.ToLower(strings.TrimSpace(search))
	if search == "" {
		return list
	}
	name, lang, hasLang := strings.Cut(search, "@")
	var out []templates.Template
	for _, t := range list {
		n, l := strings.ToLower(t.Name), strings.ToLower(t.Language)
		switch {
		case hasLang && strings.Contains(n, name) && strings.HasPrefix(l, lang):
		case !hasLang && (strings.Contains(n, search) || strings.HasPrefix(l, search)):
		default:
			continue
		}
		out = append(out, t)
	}
	return out
}

// closeNames suggests up to five approved template names near name: those
// containing it or contained in it first, then those a few edits away.
func closeNames(list []templates.Template, name string) []string {
	name = strings.ToLower(name)
	type scored struct {
		name  string
		score int
	}
	seen := map[string]bool{}
	var cands []scored
	for _, t := range list {
		n := strings.ToLower(t.Name)
		if seen[n] || !t.Status.Usable() {
			continue
		}
		seen[n] = true
		score := editDistance(n, name)
		if name != "" && (strings.Contains(n, name) || strings.Contains(name, n)) {
			score = 0
		}
		if score <= max(2, len(name)/3) {
			cands = append(cands, scored{t.Name, score})
		}
	}
	sort.SliceStable(cands, func(i, j int) bool {
		if cands[i].score != cands[j].score {
			return cands[i].score < cands[j].score
		}
		return cands[i].name < cands[j].name
	})
	var out []string
	for i := 0; i < len(cands) && i < 5; i++ {
		out = append(out, cands[i].name)
	}
	return out
}

// editDistance is the Levenshtein distance between a and b (bytes: names
// are lower-case ASCII).
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// templateValueProblem says, in lang, what is wrong with values for t
// before anything is sent (the checks Meta would make, answered at once
// and privately instead of as a failed message): their count, an empty
// one, a media header that is not an https link. "" when they are fine.
func templateValueProblem(lang string, t templates.Template, values []string) string {
	params := t.Params()
	if len(values) != len(params) {
		return Text(lang, "tpl.param_count", t.Name, t.Language, len(params), len(values), paramList(lang, params), t.Name, t.Language)
	}
	for i, p := range params {
		v := strings.TrimSpace(values[i])
		if v == "" {
			return Text(lang, "tpl.param_empty", i+1, p.Label(), t.Name, t.Language)
		}
		switch p.Kind {
		case templates.ParamImage, templates.ParamVideo, templates.ParamDocument:
			if !strings.HasPrefix(strings.ToLower(v), "https://") || strings.ContainsAny(v, " \t\n") {
				return Text(lang, "tpl.param_link", i+1, p.Label())
			}
		}
	}
	if _, err := templates.Build(t, values); err != nil {
		return Text(lang, "tpl.param_invalid", err.Error())
	}
	return ""
}

// paramList names a template's parameters in order, with Meta's example
// values: "1. {{1}} (e.g. Ana) · 2. {{2}}".
func paramList(lang string, params []templates.Param) string {
	if len(params) == 0 {
		return Text(lang, "tpl.no_params")
	}
	parts := make([]string, len(params))
	for i, p := range params {
		parts[i] = fmt.Sprintf("%d. %s", i+1, p.Label())
		if p.Example != "" {
			parts[i] += " " + Text(lang, "tpl.example", p.Example)
		}
	}
	return strings.Join(parts, " · ")
}

// templateLine names a template for a list an agent reads:
// "order_update@es (2 values)".
func templateLine(lang string, t templates.Template) string {
	return Text(lang, "tpl.line", t.Name, t.Language, len(t.Params()))
}

// templateLines lists at most n templates, saying how many more there are.
func templateLines(lang string, list []templates.Template, n int) string {
	if len(list) == 0 {
		return Text(lang, "tpl.none")
	}
	var lines []string
	for i, t := range list {
		if i == n {
			lines = append(lines, Text(lang, "tpl.more", len(list)-n))
			break
		}
		lines = append(lines, "• "+templateLine(lang, t))
	}
	return strings.Join(lines, "\n")
}

// statusWord is how agents read a template status.
func statusWord(lang string, s templates.Status) string {
	key := "tpl.status_" + strings.ToLower(string(s))
	if w := Text(lang, key); w != key {
		return w
	}
	return strings.ToLower(string(s))
}
