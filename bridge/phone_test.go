package bridge

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestReadPhone(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, typed, region string
		digits, intl        string
		problem             PhoneProblem
	}{
		{"E.164 with spaces", "+34 612 34 56 78", "", "34612345678", "+34 612 34 56 78", PhoneOK},
		{"E.164 compact, another inbox country", "+5511987654321", "ES", "5511987654321", "+55 11 98765-4321", PhoneOK},
		{"national format in the inbox's country", "612 34 56 78", "ES", "34612345678", "+34 612 34 56 78", PhoneOK},
		{"national with dots and dashes", "612.34-56-78", "ES", "34612345678", "+34 612 34 56 78", PhoneOK},
		{"Brazilian national with area code", "(11) 98765-4321", "BR", "5511987654321", "+55 11 98765-4321", PhoneOK},
		{"the international prefix 00", "0034 612 34 56 78", "ES", "34612345678", "+34 612 34 56 78", PhoneOK},
		{"a landline is a number too", "912 34 56 78", "ES", "34912345678", "+34 912 34 56 78", PhoneOK},
		{"empty", "  ", "ES", "", "", PhoneMissing},
		{"letters", "call 612345678", "ES", "", "", PhoneNotANumber},
		{"national without an inbox country", "612 34 56 78", "", "", "", PhoneNoCountry},
		{"a country code that does not exist", "+999 1234 5678", "ES", "", "", PhoneCountryCode},
		{"too short", "612 34 56", "ES", "", "", PhoneTooShort},
		{"too long", "612 34 56 78 90 12", "ES", "", "", PhoneTooLong},
		{"right length, impossible number", "+34 412 34 56 78", "", "", "", PhoneInvalid},
		{"just a plus", "+", "ES", "", "", PhoneNotANumber},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, problem := ReadPhone(tc.typed, tc.region)
			require.Equal(t, tc.problem, problem)
			require.Equal(t, tc.digits, got.Digits)
			require.Equal(t, tc.intl, got.International)
		})
	}
}

func TestPhoneRefusalsNameTheFormatExpected(t *testing.T) {
	t.Parallel()
	for _, lang := range []string{"en", "es", "pt"} {
		text := phoneRefusal(lang, PhoneTooShort, "612 34 56", "ES")
		require.Contains(t, text, "612 34 56", lang)
		require.Contains(t, text, "+34 612 34 56 78", lang)
		require.Contains(t, text, "612 34 56 78", lang)

		text = phoneRefusal(lang, PhoneNoCountry, "612 34 56 78", "")
		require.Contains(t, text, "+34 612 34 56 78", lang)

		text = phoneRefusal(lang, PhoneInvalid, "+34 412 34 56 78", "")
		require.Contains(t, text, "ES", lang, "names the country it is impossible in")
	}
}
