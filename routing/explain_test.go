package routing

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestExplain(t *testing.T) {
	t.Parallel()
	rt := setup(t)
	cases := []struct {
		name string
		in   Input
		want []string // lines or fragments, in order
	}{
		{"keyword match after a failed inbox, later routes not tried",
			Input{Text: "Quiero una DEVOLUCIÓN", Inbox: "1001", At: at(t, "Europe/Madrid", "2025-01-07 14:00")},
			[]string{
				`text: "quiero una devolucion"  (language es, detected)`,
				"✓ root 'root' (team support)\n",
				`  ✗ route 'second-number': inbox "1001" is not one of [1002]`,
				"  ✗ route 'vip': the contact has none of the labels [vip gold]",
				"  ✓ route 'refunds' (team billing): matched keyword 'devolucion'\n",
				"  · route 'order-number': not tried, 'refunds' matched first",
				"  · route 'classified': not tried, 'refunds' matched first",
				"decision: team billing by route 'refunds'",
				"  because route 'refunds' matched keyword 'devolucion'",
			}},
		{"fallback, with the classifier abstaining and a closed team",
			Input{Text: "blorf", At: at(t, "Europe/Madrid", "2025-01-07 21:00")},
			[]string{
				"(language not told)",
				"classifier: ",
				"(abstained)",
				"✗ route 'refunds': none of the keywords [\"devolucion\" \"reembolso\" \"refund\" \"money back\" \"devolv*\"] occurs in the text",
				`✗ route 'order-number': the whole text does not match regex .*pedido #?\d+.*`,
				"✗ route 'portuguese': the language of the text cannot be told (wanted [pt])",
				"✗ route 'support-closed': the language of the text cannot be told",
				"✗ route 'classified': the classifier abstained",
				"decision: team support by route 'root'",
				"because no route matched; root 'root' is the fallback (team 'support')",
				"because team 'support' is closed at Tue 21:00 CET, opens Wed 2025-01-08 09:00",
				"out of hours: the conversation waits in the team's queue",
				`away message: "We are closed, we will answer soon."`,
			}},
		{"nested routes and continue",
			Input{Text: "Preciso da nota fiscal do pagamento", ContactLabels: []string{"VIP"}, At: at(t, "Europe/Madrid", "2025-01-07 14:00")},
			[]string{
				"✓ route 'vip' (team vip): matched contact label 'VIP'",
				"✗ route 'refunds'",
				"✓ route 'portuguese' (team brasil): matched language 'pt'",
				"    ✓ route 'brasil-billing' (team billing): matched classifier label 'billing'",
				"decision: team vip by route 'vip'",
				"also matched (continue): route 'brasil-billing' (team billing)",
			}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			out := rt.Explain(c.in)
			rest := out
			for _, w := range c.want {
				i := indexOf(rest, w)
				require.GreaterOrEqual(t, i, 0, "missing (or out of order) %q in:\n%s", w, out)
				rest = rest[i+len(w):]
			}
		})
	}
}

func indexOf(s, sub string) int { return strings.Index(s, sub) }
