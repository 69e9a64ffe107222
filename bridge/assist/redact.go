package assist

import (
	"regexp"
	"strings"
	"unicode"

	"github.com/nyaruka/phonenumbers"
)

// Masks put in place of what Redact hides. The provider reads them, no
// person does: they are prompt text, not catalogue text.
const (
	PhoneMask = "[phone]"
	EmailMask = "[email]"
)

// emailPattern is a pragmatic e-mail address: local part, @, a domain with
// a dot. It over-matches rather than under-matches ("a@b.co" is enough).
var emailPattern = regexp.MustCompile(`[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}`)

// phoneRegions are the numbering plans tried for a number written without
// its country code: the markets of switchboard's three languages. A
// number valid in none of them is left alone.
var phoneRegions = []string{"US", "GB", "ES", "MX", "AR", "CO", "CL", "PE", "BR", "PT"}

// minPhoneDigits is the fewest digits a masked phone number has: shorter
// runs are order numbers, amounts, years, postcodes ("pedido 12345").
const minPhoneDigits = 7

// Redact masks phone numbers and e-mail addresses in text before it
// leaves for a provider.
//
// E-mail addresses are found by pattern. Phone numbers are found as runs
// of digits and the separators people write them with (space, hyphen,
// dot, slash, parentheses, a leading +), then judged by libphonenumber
// (nyaruka/phonenumbers), not by the shape alone:
//
//   - a run with a leading + and a possible number for its country code
//     is a phone number ("+34 600 123 456", "+1-202-555-0143");
//   - a run written with separators ("(11) 98765-4321", "600 123 456")
//     is a phone number when it is possible in one of phoneRegions;
//   - a bare run of digits is one only when it is a valid number with a
//     country code ("5511987654321", how WhatsApp writes wa_id) or in one
//     of phoneRegions ("6001234567" is not, "600123456" is in Spain).
//
// Runs of fewer than seven digits are never masked, so order numbers,
// amounts and dates stay ("pedido 12345", "R$ 1.250,00", "2026-12-06").
// The cost is that a long order number that happens to be a valid phone
// number somewhere is masked too: the provider then sees "[phone]", and
// the answer is less precise, never leaky.
func Redact(text string) string {
	text = emailPattern.ReplaceAllString(text, EmailMask)
	var b strings.Builder
	rs := []rune(text)
	for i := 0; i < len(rs); {
		end, ok := phoneRun(rs, i)
		if !ok {
			b.WriteRune(rs[i])
			i++
			continue
		}
		run := string(rs[i:end])
		if isPhone(run) {
			b.WriteString(PhoneMask)
		} else {
			b.WriteString(run)
		}
		i = end
	}
	return b.String()
}

// phoneRun finds the candidate starting at rs[i]: it starts with +, ( or
// a digit that does not continue a word ("A12345"), and ends at its last
// digit. ok is false when rs[i] starts none.
func phoneRun(rs []rune, i int) (end int, ok bool) {
	r := rs[i]
	if r != '+' && r != '(' && !isDigit(r) {
		return 0, false
	}
	if i > 0 && (unicode.IsLetter(rs[i-1]) || isDigit(rs[i-1]) || rs[i-1] == '_') {
		return 0, false
	}
	lastDigit := -1
	for j := i; j < len(rs); j++ {
		c := rs[j]
		switch {
		case isDigit(c):
			lastDigit = j
		case isSeparator(c):
			// At most two separators in a row (") ", " (") and a digit or
			// "(" after them, or the run ends: "12345 - 67" is two runs.
			k := j
			for k < len(rs) && isSeparator(rs[k]) && k-j < 3 {
				k++
			}
			if k-j > 2 || k == len(rs) || !isDigit(rs[k]) && rs[k] != '(' {
				return runEnd(lastDigit)
			}
			j = k - 1
		case c == '+' && j == i:
		default:
			return runEnd(lastDigit)
		}
	}
	return runEnd(lastDigit)
}

func runEnd(lastDigit int) (int, bool) {
	if lastDigit < 0 {
		return 0, false
	}
	return lastDigit + 1, true
}

func isSeparator(c rune) bool {
	return c == ' ' || c == '-' || c == '.' || c == '/' || c == '(' || c == ')' || c == '\u00a0'
}

// looksLikeDate reports whether a run's digit groups are a date's
// (2026-12-06, 06/12/2026, 6.12.2026).
func looksLikeDate(run string) bool {
	groups := strings.FieldsFunc(run, func(r rune) bool { return !isDigit(r) })
	if len(groups) != 3 {
		return false
	}
	a, b, c := len(groups[0]), len(groups[1]), len(groups[2])
	return a == 4 && b <= 2 && c <= 2 || a <= 2 && b <= 2 && (c == 4 || c == 2)
}

func isPhone(run string) bool {
	digits := 0
	separated := false
	for _, r := range run {
		switch {
		case isDigit(r):
			digits++
		case r != '+':
			separated = true
		}
	}
	if digits < minPhoneDigits || digits > 15 || looksLikeDate(run) {
		return false
	}
	if strings.HasPrefix(run, "+") {
		num, err := phonenumbers.Parse(run, "")
		return err == nil && phonenumbers.IsPossibleNumber(num)
	}
	if !separated {
		if num, err := phonenumbers.Parse("+"+run, ""); err == nil && phonenumbers.IsValidNumber(num) {
			return true
		}
	}
	for _, region := range phoneRegions {
		num, err := phonenumbers.Parse(run, region)
		if err != nil {
			continue
		}
		if separated && phonenumbers.IsPossibleNumber(num) || phonenumbers.IsValidNumber(num) {
			return true
		}
	}
	return false
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

// RedactTurns is turns with every text redacted.
func RedactTurns(turns []Turn) []Turn {
	out := make([]Turn, len(turns))
	for i, t := range turns {
		t.Text = Redact(t.Text)
		out[i] = t
	}
	return out
}
