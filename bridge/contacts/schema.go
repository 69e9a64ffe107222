package contacts

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// NewSchema builds the schema the configuration declares; no stages means
// DefaultStages. The configuration was validated already (configs).
func NewSchema(stages []string, attrs []AttributeDef) Schema {
	if len(stages) == 0 {
		stages = DefaultStages
	}
	return Schema{Stages: append([]string(nil), stages...), Attributes: append([]AttributeDef(nil), attrs...)}
}

// fold is the form two words are compared in: lower case without accents,
// so "Calificado", "calificado" and "CALIFICADO" name one stage whatever
// an agent's keyboard makes easy.
func fold(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, strings.TrimSpace(s))
	if err != nil {
		out = strings.TrimSpace(s)
	}
	return strings.ToLower(out)
}

// Stage returns the configured spelling of the stage s names (case and
// accents ignored); ErrUnknownStage wrapped with the valid list otherwise.
func (s Schema) Stage(in string) (string, error) {
	want := fold(in)
	for _, st := range s.Stages {
		if fold(st) == want && want != "" {
			return st, nil
		}
	}
	return "", fmt.Errorf("%w %q (one of: %s)", ErrUnknownStage, strings.TrimSpace(in), strings.Join(s.Stages, ", "))
}

// Attribute returns the declaration of name; undeclared names are text.
func (s Schema) Attribute(name string) AttributeDef {
	for _, a := range s.Attributes {
		if a.Name == name {
			return a
		}
	}
	return AttributeDef{Name: name, Kind: KindText}
}

// MaxValueLength bounds a text attribute's value: a card line, not a file.
const MaxValueLength = 200

// dateLayouts are the input forms a date attribute accepts; the first is
// the canonical one. Day-first forms because most of the business's agents
// write dates that way (es, pt); 2026-03-04 is unambiguous anyway.
var dateLayouts = []string{"2006-01-02", "2006/01/02", "02/01/2006", "2/1/2006", "02-01-2006", "02.01.2006", "2 Jan 2006", "Jan 2 2006", "January 2 2006"}

// Parse checks value against the declared type of attribute name and
// returns its canonical form (number: shortest decimal, date: YYYY-MM-DD,
// list: the option's configured spelling). An error wraps ErrBadValue and
// names the type so the agent knows what to write.
func (s Schema) Parse(name, value string) (string, error) {
	def := s.Attribute(name)
	v := strings.TrimSpace(value)
	switch def.Kind {
	case KindNumber:
		f, err := strconv.ParseFloat(strings.ReplaceAll(v, ",", "."), 64)
		if err != nil || v == "" {
			return "", fmt.Errorf("%w: %s is a number, not %q", ErrBadValue, name, v)
		}
		return strconv.FormatFloat(f, 'f', -1, 64), nil
	case KindDate:
		for _, layout := range dateLayouts {
			if t, err := time.Parse(layout, v); err == nil {
				return t.Format(dateLayouts[0]), nil
			}
		}
		return "", fmt.Errorf("%w: %s is a date (YYYY-MM-DD), not %q", ErrBadValue, name, v)
	case KindList:
		for _, o := range def.Options {
			if fold(o) == fold(v) {
				return o, nil
			}
		}
		return "", fmt.Errorf("%w: %s is a list (one of: %s), not %q", ErrBadValue, name, strings.Join(def.Options, ", "), v)
	default:
		if v == "" || len(v) > MaxValueLength {
			return "", fmt.Errorf("%w: %s is text of 1 to %d characters", ErrBadValue, name, MaxValueLength)
		}
		return v, nil
	}
}

// MaxLabelLength bounds a label: it shows on cards and in filters.
const MaxLabelLength = 40

var labelSpaces = regexp.MustCompile(`[\s_]+`)

// NormalizeLabel is the stored form of a label: trimmed, lower case, runs
// of spaces as one hyphen, at most MaxLabelLength characters. "" and
// labels that are too long are refused (ErrBadValue).
func NormalizeLabel(s string) (string, error) {
	l := strings.Trim(labelSpaces.ReplaceAllString(strings.ToLower(strings.TrimSpace(s)), "-"), "-")
	switch {
	case l == "":
		return "", fmt.Errorf("%w: a label needs at least one letter", ErrBadValue)
	case len([]rune(l)) > MaxLabelLength:
		return "", fmt.Errorf("%w: a label has at most %d characters", ErrBadValue, MaxLabelLength)
	case strings.ContainsAny(l, ",=`*"):
		return "", fmt.Errorf("%w: a label has no , = ` or *", ErrBadValue)
	}
	return l, nil
}

var attrName = regexp.MustCompile(`^[a-z][a-z0-9_]{0,39}$`)

// ValidAttributeName reports whether name can name an attribute: a lower
// case slug (letters, digits, _), as configs checks declared ones.
func ValidAttributeName(name string) bool { return attrName.MatchString(name) }

// Suggestion is a person who may be the same human as another: they share
// a phone number or an e-mail address (Same says which, Value the match).
type Suggestion struct {
	PersonID int64
	Name     string // the other's DisplayName
	Same     string // "phone" or "email"
	Value    string
}

// Suggestions says which of candidates share a phone number or an e-mail
// address with p. Storage finds the candidates (MergeCandidates); the rule
// is here: p itself, people merged into someone else and erased people
// are never suggested; each candidate once, phone before e-mail, in the
// order of their ids. E-mail addresses compare case-insensitively.
func Suggestions(p Person, candidates []Person) []Suggestion {
	phones, emails := map[string]bool{}, map[string]bool{}
	for _, id := range p.Identities {
		if id.Phone != "" {
			phones[id.Phone] = true
		}
		if id.Email != "" {
			emails[strings.ToLower(id.Email)] = true
		}
	}
	var out []Suggestion
	seen := map[int64]bool{}
	sorted := append([]Person(nil), candidates...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].ID < sorted[j].ID })
	for _, c := range sorted {
		if c.ID == p.ID || c.MergedInto != 0 || !c.ErasedAt.IsZero() || seen[c.ID] {
			continue
		}
		var s *Suggestion
		for _, id := range c.Identities {
			if id.Phone != "" && phones[id.Phone] {
				s = &Suggestion{PersonID: c.ID, Name: c.DisplayName(), Same: "phone", Value: id.Phone}
				break
			}
		}
		if s == nil {
			for _, id := range c.Identities {
				if e := strings.ToLower(id.Email); e != "" && emails[e] {
					s = &Suggestion{PersonID: c.ID, Name: c.DisplayName(), Same: "email", Value: e}
					break
				}
			}
		}
		if s != nil {
			seen[c.ID] = true
			out = append(out, *s)
		}
	}
	return out
}

// AttributeNames are the declared attributes' names, in order.
func (s Schema) AttributeNames() []string {
	out := make([]string, len(s.Attributes))
	for i, a := range s.Attributes {
		out[i] = a.Name
	}
	return out
}
