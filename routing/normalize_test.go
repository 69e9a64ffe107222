package routing

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestNormalize(t *testing.T) {
	t.Parallel()
	cases := []struct{ name, in, want string }{
		{"lowercases ASCII", "DEVOLUCION", "devolucion"},
		{"folds Spanish accents", "Devolución", "devolucion"},
		{"folds Portuguese cedilla and tilde", "Devolução NÃO", "devolucao nao"},
		{"folds full-width letters", "ＤＥＶＯＬＵＣＩÓＮ", "devolucion"},
		{"collapses and trims white space", "  hola\t\n  mundo  ", "hola mundo"},
		{"keeps punctuation", "¿Pedido #123?", "¿pedido #123?"},
		{"handles dotted capital I", "İstanbul", "istanbul"},
		{"empty stays empty", "", ""},
		{"repairs invalid UTF-8", "ol\xffá", "ol a"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			got := Normalize(c.in)
			require.Equal(t, c.want, got)
			require.Equal(t, got, Normalize(got), "idempotent")
		})
	}
}

func TestTokenize(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in   string
		want []string
	}{
		{"hola, ¿dónde está mi pedido #123?", []string{"hola", "donde", "esta", "mi", "pedido", "123"}},
		{"e-mail: a.b@c.com", []string{"e", "mail", "a", "b", "c", "com"}},
		{"   ", []string{}},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, c.want, Words(c.in))
		})
	}
}

func TestDetectLanguage(t *testing.T) {
	t.Parallel()
	cases := []struct {
		text string
		want string // "" = abstains
	}{
		{"Hola, quiero una devolución de mi pedido", "es"},
		{"Buenas tardes, necesito ayuda con mi cuenta", "es"},
		{"Olá, não recebi o meu pedido, você pode ajudar?", "pt"},
		{"Bom dia, preciso de uma segunda via", "pt"},
		{"Hello, where is my order? I want a refund please", "en"},
		{"Thanks for the help", "en"},
		{"ok", ""},
		{"asdf qwerty zxcv", ""},
		{"12345", ""},
		{"hola hello", ""},
		{"de que", ""},
	}
	for _, c := range cases {
		t.Run(c.text, func(t *testing.T) {
			t.Parallel()
			got, ok := DetectLanguage(Words(c.text))
			require.Equal(t, c.want, got)
			require.Equal(t, c.want != "", ok)
		})
	}
}
