package routing

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// treeYAML is the routing config most tests run against.
const treeYAML = `
teams:
  - name: support
    hours:
      time_zone: Europe/Madrid
      weekly: {mon-fri: ["09:00-18:00"]}
    away_message:
      en: "We are closed, we will answer soon."
      es: "Estamos cerrados, responderemos pronto."
  - name: billing
    hours:
      time_zone: America/Sao_Paulo
      weekly: {mon-fri: ["08:00-17:00"], sat: ["22:00-02:00"]}
    on_call: night
    away_message:
      pt: "Estamos fora do horário."
  - name: sales
  - name: brasil
  - name: vip
  - name: night
  - name: orders
classifier:
  threshold: 0.6
  examples:
    billing:
      - "quiero una factura de mi compra"
      - "I need an invoice for my payment"
      - "preciso da nota fiscal do pagamento"
      - "me cobraron dos veces la tarjeta"
      - "I was charged twice on my card"
    sales:
      - "cuanto cuesta el plan premium"
      - "how much is the premium plan"
      - "quanto custa o plano premium"
      - "quiero comprar una licencia"
      - "I want to buy a license"
route:
  id: root
  team: support
  routes:
    - id: second-number
      team: sales
      match: {inboxes: ["1002"]}
    - id: vip
      team: vip
      match: {contact_labels: [VIP, gold]}
      continue: true
    - id: refunds
      team: billing
      match:
        keywords: [devolucion, reembolso, refund, "money back", "devolv*"]
    - id: order-number
      team: orders
      match: {regex: '.*pedido #?\d+.*'}
    - id: order-hash
      team: orders
      match: {contains_regex: '#\d{4,}'}
    - id: portuguese
      team: brasil
      match: {language: [pt]}
      routes:
        - id: brasil-billing
          team: billing
          match: {classifier: {label: billing, min_confidence: 0.7}}
    - id: support-closed
      match: {business_hours: {state: closed}, language: [es]}
    - id: classified
      match: {classifier: {label: sales}}
      team: sales
`

func setup(t *testing.T) *Router {
	t.Helper()
	rt, err := Load([]byte(treeYAML))
	require.NoError(t, err)
	return rt
}

func TestDecide(t *testing.T) {
	t.Parallel()
	rt := setup(t)
	tue10 := at(t, "Europe/Madrid", "2025-01-07 14:00") // 10:00 in São Paulo: billing is open too
	tue20 := at(t, "Europe/Madrid", "2025-01-07 20:00")

	cases := []struct {
		name    string
		in      Input
		team    string
		route   string
		reason  string // a substring of one of the reasons
		also    []string
		outHour bool
	}{
		{"nothing matches: the root is the fallback",
			Input{Text: "ok", At: tue10}, "support", "root", "no route matched; root 'root' is the fallback (team 'support')", nil, false},
		{"inbox",
			Input{Text: "hola", Inbox: "1002", At: tue10}, "sales", "second-number", "route 'second-number' matched inbox '1002'", nil, false},
		{"keyword with accent",
			Input{Text: "Quiero una devolución", At: tue10}, "billing", "refunds", "route 'refunds' matched keyword 'devolucion'", nil, false},
		{"keyword without accent",
			Input{Text: "quiero una Devolucion", At: tue10}, "billing", "refunds", "matched keyword 'devolucion'", nil, false},
		{"keyword in capitals",
			Input{Text: "DEVOLUCION YA", At: tue10}, "billing", "refunds", "matched keyword 'devolucion'", nil, false},
		{"keyword only as a whole word",
			Input{Text: "las devoluciones", At: tue10}, "support", "root", "fallback", nil, false},
		{"keyword prefix",
			Input{Text: "quero devolver", Language: "es", At: tue10}, "billing", "refunds", "matched keyword 'devolv*'", nil, false},
		{"keyword phrase across punctuation",
			Input{Text: "I want my MONEY, back!", At: tue10}, "billing", "refunds", "matched keyword 'money back'", nil, false},
		{"phrase needs its words in a row",
			Input{Text: "back my money", Language: "en", At: tue10}, "support", "root", "fallback", nil, false},
		{"anchored regex matches the whole text",
			Input{Text: "Hola, mi Pedido #4411 no llegó", At: tue10}, "orders", "order-number", `matched regex .*pedido #?\d+.*`, nil, false},
		{"anchored regex must cover the whole text",
			Input{Text: "pedido", Language: "en", At: tue10}, "support", "root", "fallback", nil, false},
		{"unanchored regex finds a part",
			Input{Text: "ref #12345", Language: "en", At: tue10}, "orders", "order-hash", `matched contains_regex #\d{4,} at "#12345"`, nil, false},
		{"contact label, continue finds the next match too",
			Input{Text: "refund", ContactLabels: []string{"gold"}, At: tue10}, "vip", "vip", "route 'vip' matched contact label 'gold'", []string{"refunds"}, false},
		{"contact label compared without case",
			Input{Text: "ok", ContactLabels: []string{"vip"}, At: tue10}, "vip", "vip", "matched contact label 'vip'", nil, false},
		{"language detected",
			Input{Text: "Olá, você pode me ajudar?", At: tue10}, "brasil", "portuguese", "route 'portuguese' matched language 'pt'", nil, false},
		{"language given",
			Input{Text: "ok", Language: "pt", At: tue10}, "brasil", "portuguese", "matched language 'pt'", nil, false},
		{"child of a matched route, classifier above min confidence",
			Input{Text: "Olá, preciso da nota fiscal do pagamento", At: tue10}, "billing", "brasil-billing", "route 'brasil-billing' matched classifier label 'billing'", nil, false},
		{"child classifier below min confidence: parent decides",
			Input{Text: "ok", Language: "pt", At: tue10, Classification: &Classification{Label: "billing", Confidence: 0.65}}, "brasil", "portuguese", "route 'portuguese' decides: no child route matched", nil, false},
		{"classifier abstains: the next rule decides",
			Input{Text: "xyzzy plugh", At: tue10}, "support", "root", "fallback", nil, false},
		{"classifier label",
			Input{Text: "how much is the premium plan?", At: tue10}, "sales", "classified", "matched classifier label 'sales'", nil, false},
		{"business hours closed, inherited team",
			Input{Text: "hola, tengo una pregunta", At: tue20}, "support", "support-closed", "route 'support-closed' matched business hours: team 'support' is closed", nil, true},
		{"business hours open: that route does not match",
			Input{Text: "hola, tengo una pregunta", At: tue10}, "support", "root", "fallback", nil, false},
		{"no time: business hours never match",
			Input{Text: "hola, tengo una pregunta"}, "support", "root", "fallback", nil, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			d := rt.Decide(c.in)
			require.Equal(t, c.team, d.Team, "reasons: %v", d.Reasons)
			require.Equal(t, c.route, d.RouteID)
			require.Contains(t, strings.Join(d.Reasons, "\n"), c.reason)
			var also []string
			for _, m := range d.Also {
				also = append(also, m.RouteID)
			}
			require.Equal(t, c.also, also)
			require.Equal(t, c.outHour, d.OutOfHours)
		})
	}
}

func TestDecideOutOfHours(t *testing.T) {
	t.Parallel()
	rt := setup(t)
	cases := []struct {
		name     string
		in       Input
		team     string
		target   string
		away     string
		nextOpen time.Time
	}{
		{"support closed in the evening: away message in Spanish, waits in its queue",
			Input{Text: "necesito ayuda", At: at(t, "Europe/Madrid", "2025-01-07 19:00")},
			"support", "support", "Estamos cerrados, responderemos pronto.", at(t, "Europe/Madrid", "2025-01-08 09:00")},
		{"unknown language falls back to English",
			Input{Text: "ok", At: at(t, "Europe/Madrid", "2025-01-11 12:00")},
			"support", "support", "We are closed, we will answer soon.", at(t, "Europe/Madrid", "2025-01-13 09:00")},
		{"billing closed: on-call team takes it; only pt message, so pt",
			Input{Text: "refund please", At: at(t, "America/Sao_Paulo", "2025-01-07 18:00")},
			"billing", "night", "Estamos fora do horário.", at(t, "America/Sao_Paulo", "2025-01-08 08:00")},
		{"billing open on saturday night across midnight",
			Input{Text: "refund please", At: at(t, "America/Sao_Paulo", "2025-01-12 01:30")},
			"billing", "billing", "", time.Time{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			d := rt.Decide(c.in)
			require.Equal(t, c.team, d.Team)
			require.Equal(t, c.target, d.Target())
			require.Equal(t, c.away, d.AwayMessage)
			require.Equal(t, !c.nextOpen.IsZero(), d.OutOfHours)
			require.True(t, c.nextOpen.Equal(d.NextOpen), "next open %s, want %s", d.NextOpen, c.nextOpen)
		})
	}
}

func TestInheritance(t *testing.T) {
	t.Parallel()
	rt, err := Load([]byte(`
teams: [{name: a}, {name: b}]
route:
  team: a
  routes:
    - id: outer
      team: b
      match: {keywords: [x]}
      routes:
        - id: inner
          match: {keywords: [y]}
    - id: plain
      match: {keywords: [z]}
`))
	require.NoError(t, err)
	cases := []struct{ text, team, route, reason string }{
		{"x y", "b", "inner", "route 'inner' decides (team 'b', inherited from 'outer')"},
		{"x", "b", "outer", "route 'outer' decides: no child route matched (team 'b')"},
		{"z", "a", "plain", "inherited from 'root'"},
	}
	for _, c := range cases {
		t.Run(c.text, func(t *testing.T) {
			t.Parallel()
			d := rt.Decide(Input{Text: c.text})
			require.Equal(t, c.team, d.Team)
			require.Equal(t, c.route, d.RouteID)
			require.Contains(t, strings.Join(d.Reasons, "\n"), c.reason)
			if c.route == "inner" {
				require.Equal(t, "route 'outer' matched keyword 'x'", d.Reasons[0], "reasons go from the root down")
			}
		})
	}
}

func TestUncompiledTreeCompilesOnFirstUse(t *testing.T) {
	t.Parallel()
	root := &Route{Team: "support", Routes: []*Route{
		{ID: "refunds", Team: "billing", Match: Matchers{Keywords: []string{"Devolución"}}},
	}}
	d := root.Decide(Input{Text: "DEVOLUCION"})
	require.Equal(t, "billing", d.Team)

	bad := &Route{Team: "support", Routes: []*Route{{Team: "x"}}}
	d = bad.Decide(Input{Text: "hi"})
	require.Equal(t, "support", d.Team)
	require.Contains(t, d.Reasons[0], "routing tree is invalid")
}

func TestConfigErrors(t *testing.T) {
	t.Parallel()
	const teams = "teams: [{name: support}, {name: billing, hours: {time_zone: UTC, weekly: {mon: [\"09:00-10:00\"]}}}]\n"
	cases := []struct{ name, yaml, want string }{
		{"unknown key", teams + "route: {team: support, colour: red}", "field colour not found"},
		{"no route", teams, "route: required"},
		{"root without team", teams + "route: {id: root}", `route "root": team: required on the root route`},
		{"root with matchers", teams + "route: {team: support, match: {keywords: [x]}}", `route "root": match: the root route must not have matchers`},
		{"missing id", teams + "route: {team: support, routes: [{team: billing}]}", `route at child 0 of "root": id: required`},
		{"bad id", teams + "route: {team: support, routes: [{id: Refunds}]}", `route "Refunds": id: use lowercase`},
		{"duplicate id", teams + "route: {team: support, routes: [{id: a}, {id: a}]}", `route "a": id: used by another route`},
		{"unknown team", teams + "route: {team: support, routes: [{id: a, team: nope}]}", `route "a": team: unknown team "nope" (known: billing, support)`},
		{"empty keyword", teams + "route: {team: support, routes: [{id: a, match: {keywords: [ok, '¿?']}}]}", `route "a": match.keywords[1]: "¿?" has no letters or digits`},
		{"bad regex", teams + "route: {team: support, routes: [{id: a, match: {regex: '(' }}]}", `regex "(": error parsing regexp`},
		{"bad language", teams + "route: {team: support, routes: [{id: a, match: {language: [fr]}}]}", `route "a": match.language[0]: "fr" is not one of en, es, pt`},
		{"hours state", teams + "route: {team: support, routes: [{id: a, match: {business_hours: {team: billing, state: shut}}}]}", `route "a": match.business_hours.state: "shut" must be open or closed`},
		{"hours of a team without hours", teams + "route: {team: support, routes: [{id: a, match: {business_hours: {state: open}}}]}", `route "a": match.business_hours.team: team "support" has no hours configured`},
		{"classifier confidence", teams + "route: {team: support, routes: [{id: a, match: {classifier: {label: x, min_confidence: 2}}}]}", `route "a": match.classifier.min_confidence: 2 must be between 0 and 1`},
		{"classifier label unknown", teams + "classifier: {examples: {a: [hello world], b: [goodbye moon]}}\nroute: {team: support, routes: [{id: r, match: {classifier: {label: c}}}]}", `route "r": match.classifier.label: "c" is not a label of the classifier (labels: a, b)`},
		{"one label", teams + "classifier: {examples: {a: [hello world]}}\nroute: {team: support}", "classifier: examples: need at least two labels"},
		{"bad team name", "teams: [{name: Support}]\nroute: {team: Support}", `teams[0].name: "Support" must be lowercase`},
		{"duplicate team", "teams: [{name: a}, {name: a}]\nroute: {team: a}", `teams[1].name: "a" is used twice`},
		{"unknown on-call", "teams: [{name: a, on_call: b}]\nroute: {team: a}", `team "a": on_call: unknown team "b"`},
		{"bad strategy", "teams: [{name: a, strategy: random}]\nroute: {team: a}", `unknown strategy "random"`},
		{"away message language", "teams: [{name: a, away_message: {fr: salut}}]\nroute: {team: a}", `team "a": away_message.fr: language must be en, es or pt`},
		{"team hours zone", "teams: [{name: a, hours: {time_zone: Nowhere, weekly: {mon: [\"09:00-10:00\"]}}}]\nroute: {team: a}", `team "a": hours.time_zone: unknown time zone "Nowhere"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			_, err := Load([]byte(c.yaml))
			require.ErrorContains(t, err, c.want)
		})
	}
}
