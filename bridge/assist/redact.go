package assist

import (
	"regexp"
	"strconv"
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
// Letters are any script's: internationalised addresses
// ("maría@correo.españa.es") are as personal as ASCII ones, and an ASCII
// class would stop at the first accent and leave the rest in clear.
var emailPattern = regexp.MustCompile(`[\pL\pN._%+\-]+@[\pL\pN\-]+(?:\.[\pL\pN\-]+)*\.[\pL]{2,}`)

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
			// A run that starts with + is a phone number being written, so
			// it may take three ("+34 - 611 223 344"): ending it there
			// would leave the country code unmasked and judge the rest
			// alone.
			most := 2
			if rs[i] == '+' {
				most = 3
			}
			k := j
			for k < len(rs) && isSeparator(rs[k]) && k-j <= most {
				k++
			}
			if k-j > most || k == len(rs) || !isDigit(rs[k]) && rs[k] != '(' {
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
	// Numbers are judged on their digits alone, not through
	// phonenumbers.Parse, whose regular expressions cost tens of
	// microseconds a call: too much for every turn of every prompt.
	all := digitsOf(run)
	if strings.HasPrefix(run, "+") {
		num := internationalNumber(all)
		return num != nil && phonenumbers.IsPossibleNumber(num)
	}
	if !separated {
		if num := internationalNumber(all); num != nil && phonenumbers.IsValidNumber(num) {
			return true
		}
	}
	national := all
	for _, region := range phoneRegions {
		num := regionNumber(national, region)
		if num == nil {
			continue
		}
		if separated && phonenumbers.IsPossibleNumber(num) || phonenumbers.IsValidNumber(num) {
			return true
		}
	}
	return false
}

// digitsOf is run's digits.
func digitsOf(run string) string {
	var b strings.Builder
	for _, r := range run {
		if isDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// internationalNumber reads digits as country code and national number;
// country codes are prefix-free, so the first known one of one to three
// digits is it.
func internationalNumber(digits string) *phonenumbers.PhoneNumber {
	for n := 1; n <= 3 && n < len(digits); n++ {
		cc, err := strconv.Atoi(digits[:n])
		if err != nil || phonenumbers.GetRegionCodeForCountryCode(cc) == phonenumbers.UNKNOWN_REGION {
			continue
		}
		rest, err := strconv.ParseUint(digits[n:], 10, 64)
		if err != nil {
			return nil
		}
		c := int32(cc)
		return &phonenumbers.PhoneNumber{CountryCode: &c, NationalNumber: &rest}
	}
	return nil
}

// regionNumber is a number written in region's national format: its
// digits without the trunk prefix 0 (none of phoneRegions keeps a leading
// zero in the national significant number, as Italy does).
func regionNumber(digits, region string) *phonenumbers.PhoneNumber {
	n, err := strconv.ParseUint(strings.TrimLeft(digits, "0"), 10, 64)
	if err != nil || n == 0 {
		return nil
	}
	cc := int32(phonenumbers.GetCountryCodeForRegion(region))
	return &phonenumbers.PhoneNumber{CountryCode: &cc, NationalNumber: &n}
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
