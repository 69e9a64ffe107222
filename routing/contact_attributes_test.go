package routing

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// contact_attributes matches when the contact has every listed attribute
// with that value (values ignore case and accents); a missing attribute
// is no match.
func TestContactAttributesMatcher(t *testing.T) {
	t.Parallel()
	rt, err := Load([]byte(`
teams: [{name: support}, {name: gold}, {name: madrid}]
route:
  id: root
  team: support
  routes:
    - id: gold-es
      team: gold
      match: {contact_attributes: {plan: gold, country: España}}
    - id: gold-any
      team: gold
      match: {contact_attributes: {plan: Gold}}
    - id: madrid
      team: madrid
      match: {contact_attributes: {city: madrid}, contact_labels: [vip]}
`))
	require.NoError(t, err)
	for _, tc := range []struct {
		name   string
		labels []string
		attrs  map[string]string
		route  string
		reason string
	}{
		{"no attributes", nil, nil, "root", "fallback"},
		{"every attribute of the first rule", nil, map[string]string{"plan": "gold", "country": "espana"}, "gold-es", "route 'gold-es' matched contact attributes"},
		{"one of two is not enough for the first rule", nil, map[string]string{"plan": "GOLD"}, "gold-any", "route 'gold-any' matched contact attributes"},
		{"another value", nil, map[string]string{"plan": "silver"}, "root", "fallback"},
		{"attributes and labels both needed", nil, map[string]string{"city": "Madrid"}, "root", "fallback"},
		{"attributes and labels", []string{"vip"}, map[string]string{"city": "Madrid"}, "madrid", "matched contact label 'vip'"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := rt.Decide(Input{Text: "hola", ContactLabels: tc.labels, ContactAttributes: tc.attrs})
			require.Equal(t, tc.route, d.RouteID)
			require.Contains(t, strings.Join(d.Reasons, "\n"), tc.reason)
		})
	}
	_, err = Load([]byte("teams: [{name: a}]\nroute: {team: a, routes: [{id: r, match: {contact_attributes: {plan: ''}}}]}"))
	require.ErrorContains(t, err, `route "r": match.contact_attributes: "plan": a name and a value are needed`)
}
