package whatsapp_test

import (
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/switchboard/switchboard/adapters/fixtures"
	"github.com/switchboard/switchboard/adapters/whatsapp"
	"github.com/switchboard/switchboard/adapters/whatsapp/whatsapptest"
)

// FuzzParse checks Parse never panics and that whatever it accepts keeps
// each message's own JSON. Seeds are the shared fixtures, read in place.
func FuzzParse(f *testing.F) {
	for _, path := range fixtures.Files(f, "whatsapp", ".json") {
		f.Add(fixtures.Read(f, "whatsapp", filepath.Base(path)))
	}
	f.Add([]byte(`{"object":"whatsapp_business_account","entry":[{"changes":[{"field":"messages","value":{"messages":[{"type":"edit","edit":{"message":7}}]}}]}]}`))
	f.Add([]byte(`{"object":"whatsapp_business_account","entry":[{"changes":[{"field":"messages","value":{"messages":[{"timestamp":"-5","type":"order","order":{"product_items":[{"quantity":"1e308","item_price":1e308}]}}]}}]}]}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, body []byte) {
		hook, err := whatsapp.Parse(body)
		if err != nil {
			return
		}
		for _, m := range hook.Messages {
			if !json.Valid(m.Raw) {
				t.Fatalf("message %q kept invalid Raw %q", m.ExternalID, m.Raw)
			}
		}
	})
}

// FuzzVerifySignature checks that a body signed with a secret verifies,
// that arbitrary headers never panic, and that only the right one passes.
func FuzzVerifySignature(f *testing.F) {
	f.Add("secret", []byte(`{"object":"whatsapp_business_account"}`), "sha256=00")
	f.Add("s", []byte{}, "")
	f.Add("é🔑", []byte("\x00\xff"), "SHA256=zz")
	f.Add("k", []byte("body"), whatsapptest.Sign("k", []byte("body")))
	f.Fuzz(func(t *testing.T, secret string, body []byte, header string) {
		if secret == "" {
			if whatsapp.VerifySignature(secret, body, header) == nil {
				t.Fatal("an empty secret must never verify")
			}
			return
		}
		good := whatsapptest.Sign(secret, body)
		if err := whatsapp.VerifySignature(secret, body, good); err != nil {
			t.Fatalf("own signature refused: %v", err)
		}
		if err := whatsapp.VerifySignature(secret, body, header); err == nil {
			if len(header) != len(good) {
				t.Fatalf("header %q verified but is not the signature %q", header, good)
			}
		}
	})
}
