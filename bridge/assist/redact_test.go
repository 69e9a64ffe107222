package assist_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/switchboard/switchboard/bridge/assist"
)

func TestRedact(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, in, want string
	}{
		{"a Spanish mobile with country code", "llámame al +34 600 123 456 por favor", "llámame al [phone] por favor"},
		{"a Brazilian mobile written locally", "meu número é (11) 98765-4321", "meu número é [phone]"},
		{"a US number with hyphens", "call +1-202-555-0143 tomorrow", "call [phone] tomorrow"},
		{"a wa_id as WhatsApp writes it", "from 5511987654321", "from [phone]"},
		{"a Spanish mobile with spaces, no code", "mi móvil 600 123 456", "mi móvil [phone]"},
		{"a Spanish mobile, bare digits", "mi móvil 600123456.", "mi móvil [phone]."},
		{"an e-mail address", "write to ana.perez+shop@example.com.br please", "write to [email] please"},
		{"two of each", "ana@x.io or +351 912 345 678; bob@y.org, +34 600 123 456", "[email] or [phone]; [email], [phone]"},
		{"an order number stays", "pedido 12345 no llegó", "pedido 12345 no llegó"},
		{"an order number with a hash stays", "order #884213 is late", "order #884213 is late"},
		{"a price stays", "cuesta R$ 1.250,00", "cuesta R$ 1.250,00"},
		{"a date stays", "desde 2026-12-06", "desde 2026-12-06"},
		{"a time range stays", "abrimos 9:00 - 18:00", "abrimos 9:00 - 18:00"},
		{"a long invalid number stays", "tracking 1234567890123", "tracking 1234567890123"},
		{"a code glued to letters stays", "coupon AB600123456", "coupon AB600123456"},
		{"a number with a spaced hyphen after the country code", "llámame al +34 - 611 223 344", "llámame al [phone]"},
		{"a Swiss number with a spaced hyphen after the country code", "tel +41 - 44 668 1800", "tel [phone]"},
		{"an e-mail address with a non-ASCII domain", "juan@correo.españa.es escribe", "[email] escribe"},
		{"an e-mail address with a non-ASCII local part", "escribe a maría.núñez@example.es", "escribe a [email]"},
		{"nothing to hide", "Hello, where is my refund?", "Hello, where is my refund?"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assert.Equal(t, c.want, assist.Redact(c.in))
		})
	}
}

func TestRedactTurnsLeavesTheOriginalAlone(t *testing.T) {
	t.Parallel()
	in := []assist.Turn{{Role: assist.RoleCustomer, Text: "+34 600 123 456"}}
	out := assist.RedactTurns(in)
	assert.Equal(t, "[phone]", out[0].Text)
	assert.Equal(t, "+34 600 123 456", in[0].Text)
}

// BenchmarkRedact measures masking one typical customer message (every
// turn of a prompt goes through it).
func BenchmarkRedact(b *testing.B) {
	text := "Hola, soy Ana (ana.perez@example.com). Mi pedido 12345 no llegó; llámame al +34 600 123 456 o al (11) 98765-4321, gracias."
	for b.Loop() {
		_ = assist.Redact(text)
	}
}

// FuzzRedact: Redact never panics, is idempotent, and leaves no "@" of an
// address it masked behind.
func FuzzRedact(f *testing.F) {
	for _, s := range []string{"+34 600 123 456", "(11) 98765-4321", "a@b.co", "pedido 12345", "+", "((((", "1-2-3-4-5-6-7-8", "+1-202-555-0143x", "٣٤٥٦٧٨٩٠١٢", "+34 - 611 223 344", "juan@correo.españa.es", "12345 - 67"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		once := assist.Redact(s)
		if twice := assist.Redact(once); twice != once {
			t.Fatalf("not idempotent: %q → %q → %q", s, once, twice)
		}
	})
}
