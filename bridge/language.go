package bridge

import (
	"context"

	"github.com/nyaruka/phonenumbers"
)

// CustomerLanguage is the language to offer a customer templates and
// canned responses in: the one their messages told (or an agent set),
// else the one their phone number's country speaks most, else "".
func CustomerLanguage(c Contact) string {
	if c.Language != "" {
		return c.Language
	}
	if c.Phone == "" {
		// A username-only customer: their BSUID names their country.
		return regionLanguages[bsuidCountry(c.UserID)]
	}
	return phoneLanguage(c.Phone)
}

// phoneLanguage guesses a language from the number's country, for the
// languages we ship texts in: a guess only, which the customer's first
// message in another language corrects.
func phoneLanguage(digits string) string {
	if digits == "" {
		return ""
	}
	num, err := phonenumbers.Parse("+"+digits, "")
	if err != nil {
		return ""
	}
	return regionLanguages[phonenumbers.GetRegionCodeForNumber(num)]
}

var regionLanguages = map[string]string{
	"ES": "es", "MX": "es", "AR": "es", "CO": "es", "CL": "es", "PE": "es", "VE": "es", "EC": "es", "GT": "es",
	"CU": "es", "BO": "es", "DO": "es", "HN": "es", "PY": "es", "SV": "es", "NI": "es", "CR": "es", "PA": "es",
	"UY": "es", "PR": "es", "GQ": "es",
	"BR": "pt", "PT": "pt", "AO": "pt", "MZ": "pt", "CV": "pt", "GW": "pt", "ST": "pt", "TL": "pt",
	"US": "en", "GB": "en", "IE": "en", "CA": "en", "AU": "en", "NZ": "en", "ZA": "en",
}

// learnLanguage records the language of a customer's text message when
// the detector is sure of it and it differs from what was known: the
// latest confident guess wins, so a customer switching language is
// followed. It returns the contact as it now is.
func (b *Bridge) learnLanguage(ctx context.Context, tx Tx, contact Contact, m InboundMessage) (Contact, error) {
	if b.opts.DetectLanguage == nil || m.Kind != KindText || m.Text == "" {
		return contact, nil
	}
	lang, ok := b.opts.DetectLanguage(m.Text)
	if !ok || lang == "" || lang == contact.Language {
		return contact, nil
	}
	if err := tx.SetContactLanguage(ctx, contact.ID, lang); err != nil {
		return contact, err
	}
	contact.Language = lang
	return contact, nil
}
