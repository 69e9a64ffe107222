package bridge

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/bridge/templates"
)

func TestParseStartArgs(t *testing.T) {
	t.Parallel()
	b, err := New(nil, nil, nil, Options{Teams: []Team{{Name: "support"}, {Name: "sales"}}})
	require.NoError(t, err)
	for _, tc := range []struct {
		args                  string
		phone, team, template string
		params                []string
	}{
		{"+34 612 34 56 78 welcome Ana | 12", "+34 612 34 56 78", "", "welcome", []string{"Ana", "12"}},
		{"612 34 56 78 sales welcome", "612 34 56 78", "sales", "welcome", nil},
		{"(11) 98765-4321 #Sales promo2024 a \\| b | c", "(11) 98765-4321", "#Sales", "promo2024", []string{"a | b", "c"}},
		{"612345678", "612345678", "", "", nil},
		{"612345678 support", "612345678", "support", "", nil},
		{"welcome Ana", "", "", "welcome", []string{"Ana"}},
		{"0034612345678 order_update@es_MX 4411", "0034612345678", "", "order_update@es_MX", []string{"4411"}},
	} {
		phone, team, template, params := b.parseStartArgs(tc.args)
		require.Equal(t, tc.phone, phone, tc.args)
		require.Equal(t, tc.team, team, tc.args)
		require.Equal(t, tc.template, template, tc.args)
		require.Equal(t, tc.params, params, tc.args)
	}
}

func TestChooseTemplate(t *testing.T) {
	t.Parallel()
	tpl := func(name, lang string, status templates.Status) templates.Template {
		return templates.Template{Name: name, Language: lang, Status: status}
	}
	all := []templates.Template{
		tpl("welcome", "en_US", templates.StatusApproved),
		tpl("welcome", "es", templates.StatusApproved),
		tpl("welcome", "pt_BR", templates.StatusPaused),
		tpl("promo", "es_MX", templates.StatusApproved),
		tpl("old", "es", templates.StatusRejected),
	}
	for _, tc := range []struct {
		name, ref, customer string
		all                 []templates.Template
		want                string // "name/lang" chosen
		key                 string // or the refusal
	}{
		{"the customer's language", "welcome", "es", all, "welcome/es", ""},
		{"base language matches a regional code", "promo", "es", all, "promo/es_MX", ""},
		{"the only language there is", "promo", "en", all, "promo/es_MX", ""},
		{"a language asked for", "welcome@en_US", "es", all, "welcome/en_US", ""},
		{"a base language asked for", "welcome@en", "es", all, "welcome/en_US", ""},
		{"names are not case-sensitive", "Welcome", "es", all, "welcome/es", ""},
		{"several languages, none the customer's", "welcome", "de", all, "", "start.template_language"},
		{"no template named", "", "es", all, "", "start.template_missing"},
		{"unknown", "nope", "es", all, "", "start.template_unknown"},
		{"rejected", "old", "es", all, "", "start.template_not_approved"},
		{"paused in the language asked for", "welcome@pt_BR", "es", all, "", "start.template_not_approved"},
		{"not in the language asked for", "welcome@fr", "es", all, "", "start.template_no_language"},
		{"nothing approved at all", "welcome", "es", []templates.Template{tpl("x", "es", templates.StatusPending)}, "", "start.no_templates"},
	} {
		got, key, _ := chooseTemplate(tc.all, tc.ref, tc.customer)
		require.Equal(t, tc.key, key, tc.name)
		if tc.key == "" {
			require.Equal(t, tc.want, got.Name+"/"+got.Language, tc.name)
		}
	}
}
