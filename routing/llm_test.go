package routing

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// llmTreeYAML routes on the LLM classifier, with the offline classifier
// trained on the same labels to stand in for it.
const llmTreeYAML = `
teams:
  - name: support
  - name: billing
  - name: sales
  - name: orders
classifier:
  threshold: 0.6
  examples:
    billing:
      - "quiero una factura de mi compra"
      - "I need an invoice for my payment"
      - "me cobraron dos veces la tarjeta"
      - "I was charged twice on my card"
    sales:
      - "cuanto cuesta el plan premium"
      - "how much is the premium plan"
      - "quiero comprar una licencia"
      - "I want to buy a license"
route:
  id: root
  team: support
  routes:
    - id: orders
      team: orders
      match: {keywords: [pedido]}
    - id: billing-by-llm
      team: billing
      match: {llm: {label: billing, min_confidence: 0.7}}
    - id: sales-by-llm
      team: sales
      match: {llm: {label: sales}}
`

func TestLLMMatcher(t *testing.T) {
	t.Parallel()
	rt, err := Load([]byte(llmTreeYAML))
	require.NoError(t, err)
	cases := []struct {
		name   string
		in     Input
		team   string
		route  string
		reason string // a substring of one of the reasons
	}{
		{"the LLM's label decides although the offline classifier would say otherwise",
			Input{Text: "how much is the premium plan", LLM: &LLMResult{Label: "billing", Confidence: 0.91, Decider: DeciderLLM}},
			"billing", "billing-by-llm", "route 'billing-by-llm' matched llm label 'billing' (llm: billing 0.91)"},
		{"below min_confidence the next rule decides",
			Input{Text: "hello", LLM: &LLMResult{Label: "billing", Confidence: 0.5, Decider: DeciderLLM}},
			"support", "root", "no route matched"},
		{"a label no rule asks for falls through to the root",
			Input{Text: "hello", LLM: &LLMResult{Label: "complaints", Confidence: 0.99, Decider: DeciderLLM}},
			"support", "root", "no route matched"},
		{"no label that fits falls through to the root",
			Input{Text: "hello", LLM: &LLMResult{Decider: DeciderLLM}},
			"support", "root", "no route matched"},
		{"min_confidence 0 accepts any confidence",
			Input{Text: "hello", LLM: &LLMResult{Label: "sales", Confidence: 0.1, Decider: DeciderLLM}},
			"sales", "sales-by-llm", "matched llm label 'sales' (llm: sales 0.10)"},
		{"without an LLM answer the offline classifier decides",
			Input{Text: "I was charged twice, I need an invoice"},
			"billing", "billing-by-llm", "(llm unavailable → offline classifier: billing "},
		{"the assistant's own offline fallback is reported as such",
			Input{Text: "hello", LLM: &LLMResult{Label: "sales", Confidence: 0.8, Decider: DeciderOffline}},
			"sales", "sales-by-llm", "(llm unavailable → offline classifier: sales 0.80)"},
		{"an abstaining offline classifier matches no llm rule",
			Input{Text: "blorf"},
			"support", "root", "no route matched"},
		{"rules before the llm rules still win",
			Input{Text: "mi pedido", LLM: &LLMResult{Label: "billing", Confidence: 0.99, Decider: DeciderLLM}},
			"orders", "orders", "matched keyword 'pedido'"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			d := rt.Decide(c.in)
			require.Equal(t, c.team, d.Team, "reasons: %v", d.Reasons)
			require.Equal(t, c.route, d.RouteID)
			require.Contains(t, joinReasons(d.Reasons), c.reason)
		})
	}
}

func joinReasons(rs []string) string {
	out := ""
	for _, r := range rs {
		out += r + "\n"
	}
	return out
}

func TestLLMMatcherWithoutClassifier(t *testing.T) {
	t.Parallel()
	tree := &Route{ID: "root", Team: "support", Routes: []*Route{
		{ID: "billing", Team: "billing", Match: Matchers{LLM: &LabelMatcher{Label: "billing"}}},
	}}
	rt, err := New(Config{Teams: []*Team{{Name: "support"}, {Name: "billing"}}, Route: tree})
	require.NoError(t, err, "without a classifier any non-empty label is allowed")

	d := rt.Decide(Input{Text: "invoice", LLM: &LLMResult{Label: "billing", Confidence: 0.9, Decider: DeciderLLM}})
	require.Equal(t, "billing", d.Team)

	d = rt.Decide(Input{Text: "invoice"})
	require.Equal(t, "support", d.Team, "no LLM answer and no offline classifier: the llm rule cannot match")
	require.Contains(t, rt.Explain(Input{Text: "invoice"}), "✗ route 'billing': llm unavailable and no offline classifier configured")
}

func TestLLMMatcherConfigErrors(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, match, want string
	}{
		{"empty label", `{llm: {label: ""}}`, `route "x": match.llm.label: required`},
		{"confidence above one", `{llm: {label: billing, min_confidence: 1.5}}`, `route "x": match.llm.min_confidence: 1.5 must be between 0 and 1`},
		{"negative confidence", `{llm: {label: billing, min_confidence: -0.1}}`, `match.llm.min_confidence: -0.1 must be between 0 and 1`},
		{"label unknown to the offline classifier", `{llm: {label: refunds}}`, `route "x": match.llm.label: "refunds" is not a label of the classifier (labels: billing, sales); add examples of it`},
		{"unknown key", `{llm: {label: billing, confidence: 0.7}}`, `field confidence not found`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			y := `
teams: [{name: support}, {name: billing}]
classifier:
  examples:
    billing: ["I need an invoice"]
    sales: ["how much is it"]
route:
  id: root
  team: support
  routes:
    - id: x
      team: billing
      match: ` + c.match + "\n"
			_, err := Load([]byte(y))
			require.Error(t, err)
			require.Contains(t, err.Error(), c.want)
		})
	}
}

func TestLLMLabels(t *testing.T) {
	t.Parallel()
	rt, err := Load([]byte(llmTreeYAML))
	require.NoError(t, err)
	require.Equal(t, []string{"billing", "sales"}, rt.LLMLabels())
	require.True(t, rt.Root.UsesLLM())

	plain := setup(t)
	require.Empty(t, plain.LLMLabels(), "classifier matchers are not llm matchers")
	require.False(t, plain.Root.UsesLLM())
}

func TestExplainLLM(t *testing.T) {
	t.Parallel()
	rt, err := Load([]byte(llmTreeYAML))
	require.NoError(t, err)
	cases := []struct {
		name string
		in   Input
		want []string
	}{
		{"the LLM decided",
			Input{Text: "how much is the premium plan", LLM: &LLMResult{Label: "billing", Confidence: 0.91, Decider: DeciderLLM}},
			[]string{
				"llm: billing 0.91\n",
				"✓ route 'billing-by-llm' (team billing): matched llm label 'billing' (llm: billing 0.91)",
				"· route 'sales-by-llm': not tried, 'billing-by-llm' matched first",
				"decision: team billing by route 'billing-by-llm'",
			}},
		{"the offline classifier stood in",
			Input{Text: "how much is the premium plan"},
			[]string{
				"llm unavailable → offline classifier: sales ",
				"✗ route 'billing-by-llm': llm unavailable → offline classifier said \"sales\", not \"billing\"",
				"✓ route 'sales-by-llm' (team sales): matched llm label 'sales' (llm unavailable → offline classifier: sales ",
				"decision: team sales by route 'sales-by-llm'",
			}},
		{"below the threshold",
			Input{Text: "hello", LLM: &LLMResult{Label: "billing", Confidence: 0.55, Decider: DeciderLLM}},
			[]string{"✗ route 'billing-by-llm': llm confidence 0.55 for \"billing\" is below 0.70"}},
		{"the offline classifier abstained",
			Input{Text: "blorf"},
			[]string{"llm unavailable → offline classifier: no label ", "✗ route 'billing-by-llm': llm unavailable → offline classifier abstained (best guess"}},
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
