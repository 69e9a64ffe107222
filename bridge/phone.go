package bridge

import (
	"errors"
	"strconv"
	"strings"
	"unicode"

	"github.com/nyaruka/phonenumbers"
)

// PhoneNumber is a customer's number read from what an agent typed.
type PhoneNumber struct {
	// Digits is the number in E.164 without "+": the WhatsApp id (wa_id)
	// a customer writing from it would have.
	Digits string
	// International is how agents read it back: "+34 612 34 56 78".
	International string
	// Region is the country it belongs to ("ES").
	Region string
}

// PhoneProblem says why a typed number was refused; each is a catalogue
// key whose text names what was typed and the formats expected
// (phoneRefusal).
type PhoneProblem string

const (
	PhoneOK          PhoneProblem = ""
	PhoneMissing     PhoneProblem = "start.phone_missing"
	PhoneNotANumber  PhoneProblem = "start.phone_not_number"
	PhoneNoCountry   PhoneProblem = "start.phone_no_country"   // national format, and no inbox country to read it in
	PhoneCountryCode PhoneProblem = "start.phone_country_code" // no such country code
	PhoneTooShort    PhoneProblem = "start.phone_too_short"
	PhoneTooLong     PhoneProblem = "start.phone_too_long"
	PhoneInvalid     PhoneProblem = "start.phone_invalid" // the right length, but no such numbers exist there
)

// ReadPhone reads a number an agent typed: E.164 ("+34 612 34 56 78",
// "0034 612…" when region dials 00 abroad) or a national format
// ("612 34 56 78", "(11) 98765-4321") read in region, the inbox's
// country (ISO 3166 alpha-2; "" when none is configured). Spaces, dots,
// dashes and parentheses are allowed; letters are not (a vanity number is
// more likely a typo here). It is pure: the phone-number library's
// metadata decides what exists.
func ReadPhone(raw, region string) (PhoneNumber, PhoneProblem) {
	typed := strings.TrimSpace(raw)
	if typed == "" {
		return PhoneNumber{}, PhoneMissing
	}
	for _, r := range typed {
		if !unicode.IsDigit(r) && !strings.ContainsRune("+ .-()/\u00a0", r) {
			return PhoneNumber{}, PhoneNotANumber
		}
	}
	international := strings.HasPrefix(typed, "+")
	if !international && region == "" {
		return PhoneNumber{}, PhoneNoCountry
	}
	num, err := phonenumbers.Parse(typed, region)
	switch {
	case errors.Is(err, phonenumbers.ErrInvalidCountryCode):
		if !international && region == "" {
			return PhoneNumber{}, PhoneNoCountry
		}
		return PhoneNumber{}, PhoneCountryCode
	case errors.Is(err, phonenumbers.ErrTooShortNSN), errors.Is(err, phonenumbers.ErrTooShortAfterIDD):
		return PhoneNumber{}, PhoneTooShort
	case errors.Is(err, phonenumbers.ErrNumTooLong):
		return PhoneNumber{}, PhoneTooLong
	case err != nil:
		return PhoneNumber{}, PhoneNotANumber
	}
	switch phonenumbers.IsPossibleNumberWithReason(num) {
	case phonenumbers.TOO_SHORT:
		return PhoneNumber{}, PhoneTooShort
	case phonenumbers.TOO_LONG:
		return PhoneNumber{}, PhoneTooLong
	case phonenumbers.INVALID_COUNTRY_CODE:
		return PhoneNumber{}, PhoneCountryCode
	}
	if !phonenumbers.IsValidNumber(num) {
		return PhoneNumber{}, PhoneInvalid
	}
	e164 := phonenumbers.Format(num, phonenumbers.E164)
	return PhoneNumber{Digits: strings.TrimPrefix(e164, "+"),
		International: phonenumbers.Format(num, phonenumbers.INTERNATIONAL),
		Region:        phonenumbers.GetRegionCodeForNumber(num)}, PhoneOK
}

// phoneExamples are the formats a refusal shows: an international
// example, and the national one when region is known ("+34 612 34 56 78"
// and "612 34 56 78" for ES). Without a region it shows a Spanish mobile
// in international format, as an example of the shape only.
func phoneExamples(region string) (international, national string) {
	example := "ES"
	if region != "" {
		example = region
	}
	num := phonenumbers.GetExampleNumberForType(example, phonenumbers.MOBILE)
	if num == nil {
		num = phonenumbers.GetExampleNumber(example)
	}
	if num == nil {
		return "+34 612 34 56 78", ""
	}
	international = phonenumbers.Format(num, phonenumbers.INTERNATIONAL)
	if region != "" {
		national = phonenumbers.Format(num, phonenumbers.NATIONAL)
	}
	return international, national
}

// phoneRefusal says in lang why typed was refused and how to write it.
func phoneRefusal(lang string, problem PhoneProblem, typed, region string) string {
	intl, national := phoneExamples(region)
	formats := Text(lang, "start.phone_format", intl)
	if national != "" {
		formats = Text(lang, "start.phone_formats", intl, national, region)
	}
	typed = strings.TrimSpace(typed)
	switch problem {
	case PhoneMissing:
		return Text(lang, string(problem), formats)
	case PhoneInvalid:
		where := region
		if num, err := phonenumbers.Parse(typed, region); err == nil {
			where = phonenumbers.GetRegionCodeForNumber(num)
			if where == "" || where == "ZZ" {
				where = "+" + strconv.Itoa(int(num.GetCountryCode()))
			}
		}
		return Text(lang, string(problem), typed, where, formats)
	}
	return Text(lang, string(problem), typed, formats)
}
