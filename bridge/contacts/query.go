package contacts

import (
	"strings"
	"unicode"
)

// Query is what an agent searches people by (`/switchboard contact …`,
// `!merge …`): exactly one field is set.
type Query struct {
	Phone string // digits only, no "+"
	Email string // lower case
	Label string // normalised
	Name  string // a substring, case-insensitive
}

// ParseQuery reads an agent's search: "+34 600 11 12 22" or digits is a
// phone number, anything with "@" an e-mail address, "label:vip" a label,
// and the rest a name. An empty search is an empty Query.
func ParseQuery(s string) Query {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return Query{}
	case strings.HasPrefix(strings.ToLower(s), "label:"):
		l, _ := NormalizeLabel(s[len("label:"):])
		return Query{Label: l}
	case strings.Contains(s, "@") && !strings.HasPrefix(s, "@"):
		return Query{Email: strings.ToLower(s)}
	}
	digits, phoneLike := "", true
	for _, r := range s {
		switch {
		case unicode.IsDigit(r):
			digits += string(r)
		case strings.ContainsRune("+ -().", r):
		default:
			phoneLike = false
		}
	}
	if phoneLike && len(digits) >= 6 {
		return Query{Phone: digits}
	}
	return Query{Name: s}
}

// Empty reports whether q matches nothing.
func (q Query) Empty() bool { return q == Query{} }
