package routing

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// trainingSet holds labelled messages in English, Spanish and Portuguese.
var trainingSet = map[string][]string{
	"billing": {
		"I need an invoice for my last payment",
		"I was charged twice on my credit card",
		"can I get a refund of the payment",
		"the invoice amount is wrong",
		"necesito la factura de mi compra",
		"me cobraron dos veces en la tarjeta",
		"quiero el reembolso del pago",
		"el importe de la factura está mal",
		"preciso da nota fiscal do pagamento",
		"fui cobrado duas vezes no cartão",
		"quero o reembolso do pagamento",
		"o valor da fatura está errado",
	},
	"sales": {
		"how much does the premium plan cost",
		"I want to buy a license for my team",
		"do you offer discounts for annual plans",
		"what is the price for enterprise",
		"cuánto cuesta el plan premium",
		"quiero comprar una licencia para mi equipo",
		"tienen descuentos en el plan anual",
		"cuál es el precio para empresas",
		"quanto custa o plano premium",
		"quero comprar uma licença para minha equipe",
		"vocês têm desconto no plano anual",
		"qual é o preço para empresas",
	},
	"shipping": {
		"where is my package, it has not arrived",
		"the tracking number does not work",
		"my order was delivered to the wrong address",
		"when will the delivery arrive",
		"dónde está mi paquete, no ha llegado",
		"el número de seguimiento no funciona",
		"mi pedido fue entregado en otra dirección",
		"cuándo llega el envío",
		"onde está meu pacote, não chegou",
		"o código de rastreio não funciona",
		"meu pedido foi entregue no endereço errado",
		"quando chega a entrega",
	},
	"technical": {
		"the app crashes when I log in",
		"I cannot reset my password",
		"error message when uploading a file",
		"the website is not loading",
		"la aplicación se cierra al iniciar sesión",
		"no puedo restablecer mi contraseña",
		"me sale un error al subir un archivo",
		"la página web no carga",
		"o aplicativo fecha quando faço login",
		"não consigo redefinir minha senha",
		"aparece um erro ao enviar o arquivo",
		"o site não carrega",
	},
}

// heldOut are messages the classifier never saw, with their true labels.
var heldOut = []struct{ text, label string }{
	{"please send me the invoice again", "billing"},
	{"there is a double charge on my card", "billing"},
	{"¿me pueden enviar otra factura?", "billing"},
	{"todavía no recibo el reembolso", "billing"},
	{"a fatura veio com valor errado", "billing"},
	{"preciso do reembolso urgente", "billing"},
	{"what is the price of the premium license", "sales"},
	{"I would like to buy the annual plan", "sales"},
	{"precio del plan anual con descuento", "sales"},
	{"quiero comprar el plan para empresas", "sales"},
	{"qual o preço da licença premium", "sales"},
	{"quero comprar o plano anual", "sales"},
	{"my package has not arrived yet", "shipping"},
	{"the order went to the wrong address", "shipping"},
	{"mi paquete no ha llegado todavía", "shipping"},
	{"el envío tiene otra dirección", "shipping"},
	{"meu pacote ainda não chegou", "shipping"},
	{"o rastreio do pedido não funciona", "shipping"},
	{"the app shows an error when I log in", "technical"},
	{"I forgot my password and cannot reset it", "technical"},
	{"la aplicación da error al subir fotos", "technical"},
	{"no puedo iniciar sesión en la página", "technical"},
	{"o aplicativo não carrega", "technical"},
	{"esqueci a senha e não consigo fazer login", "technical"},
}

func trained(t *testing.T) *NaiveBayes {
	t.Helper()
	nb, err := TrainNaiveBayes(trainingSet, 0.5)
	require.NoError(t, err)
	return nb
}

func TestNaiveBayesHeldOutAccuracy(t *testing.T) {
	t.Parallel()
	nb := trained(t)
	right := 0
	for _, h := range heldOut {
		c := nb.Classify(h.text)
		if !c.Abstained && c.Label == h.label {
			right++
		} else {
			t.Logf("miss: %q → %s %.2f abstained=%v (want %s)", h.text, c.Label, c.Confidence, c.Abstained, h.label)
		}
	}
	acc := float64(right) / float64(len(heldOut))
	t.Logf("held-out accuracy: %d/%d = %.1f%% (en/es/pt, 4 labels, threshold 0.5)", right, len(heldOut), 100*acc)
	require.GreaterOrEqual(t, acc, 0.8)
}

func TestNaiveBayesClassify(t *testing.T) {
	t.Parallel()
	nb := trained(t)
	cases := []struct {
		name      string
		text      string
		label     string // "" = do not check
		abstained bool
	}{
		{"spanish billing", "QUIERO LA FACTURA", "billing", false},
		{"english shipping", "Where is my package? The delivery has not arrived", "shipping", false},
		{"one weak word is not enough", "Where is my package?", "shipping", true},
		{"portuguese technical", "Não consigo redefinir a senha", "technical", false},
		{"gibberish abstains", "xkcd qwzp blorf", "", true},
		{"only stopwords abstain", "the and de que", "", true},
		{"numbers abstain", "123 456", "", true},
		{"empty abstains", "", "", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			got := nb.Classify(c.text)
			require.Equal(t, c.abstained, got.Abstained, "%+v", got)
			if c.label != "" {
				require.Equal(t, c.label, got.Label)
			}
			require.GreaterOrEqual(t, got.Confidence, 0.0)
			require.LessOrEqual(t, got.Confidence, 1.0)
		})
	}
}

func TestNaiveBayesThreshold(t *testing.T) {
	t.Parallel()
	// An ambiguous text (a word of two labels) stays below a high threshold.
	strict, err := TrainNaiveBayes(trainingSet, 0.99)
	require.NoError(t, err)
	loose := trained(t)
	text := "refund the license"
	require.True(t, strict.Classify(text).Abstained)
	require.Equal(t, strict.Classify(text).Label, loose.Classify(text).Label, "the best guess does not depend on the threshold")
}

func TestTrainNaiveBayesErrors(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name      string
		examples  map[string][]string
		threshold float64
		want      string
	}{
		{"one label", map[string][]string{"a": {"hello world"}}, 0, "need at least two labels"},
		{"label without words", map[string][]string{"a": {"hello world"}, "b": {"the", "123"}}, 0, "examples.b: no example with a usable word"},
		{"threshold above one", map[string][]string{"a": {"x y"}, "b": {"z w"}}, 1.5, "threshold: 1.5 must be between 0 and 1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			_, err := TrainNaiveBayes(c.examples, c.threshold)
			require.ErrorContains(t, err, c.want)
		})
	}
}
