package bridge

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/bridge/templates"
)

func TestPickTemplate(t *testing.T) {
	t.Parallel()
	tpl := func(name, lang string, status templates.Status) templates.Template {
		return templates.Template{Name: name, Language: lang, Status: status}
	}
	all := []templates.Template{
		tpl("order", "es", templates.StatusApproved), tpl("order", "en_US", templates.StatusApproved),
		tpl("hello", "pt_BR", templates.StatusApproved), tpl("hello", "pt_PT", templates.StatusApproved),
		tpl("only", "en", templates.StatusPaused), tpl("gone", "es", templates.StatusDeleted),
	}
	cases := []struct {
		name, tname, asked, customer string
		found                        string // "name@lang", "" when not found
		langs                        string
		ambiguous                    bool
	}{
		{"the customer's language", "order", "", "es", "order@es", "", false},
		{"a region matched by its base language", "order", "", "en", "order@en_US", "", false},
		{"asked exactly", "order", "en_US", "es", "order@en_US", "", false},
		{"asked with a dash", "order", "en-us", "es", "order@en_US", "", false},
		{"asked by base language, one match", "order", "en", "es", "order@en_US", "", false},
		{"asked by base language, two matches", "hello", "pt", "", "", "pt_BR, pt_PT", false},
		{"customer's base language matches two", "hello", "", "pt", "", "pt_BR, pt_PT", true},
		{"exact customer code wins over others of its base", "hello", "", "pt_PT", "hello@pt_PT", "", false},
		{"the only language, whatever the customer's", "only", "", "es", "only@en", "", false},
		{"several, none the customer's", "order", "", "pt", "", "en_US, es", false},
		{"unknown language asked", "order", "fr", "", "", "en_US, es", false},
		{"names ignore case", "ORDER", "", "es", "order@es", "", false},
		{"deleted ones do not count", "gone", "", "es", "", "", false},
		{"unknown name", "nope", "", "es", "", "", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := pickTemplate(all, tc.tname, tc.asked, tc.customer)
			if tc.found != "" {
				require.True(t, p.Found)
				require.Equal(t, tc.found, p.Template.Name+"@"+p.Template.Language)
				return
			}
			require.False(t, p.Found)
			require.Equal(t, tc.langs, strings.Join(p.Languages, ", "))
			require.Equal(t, tc.ambiguous, p.Ambiguous)
		})
	}
}

func TestCloseNames(t *testing.T) {
	t.Parallel()
	list := []templates.Template{
		{Name: "order_update", Status: templates.StatusApproved}, {Name: "order_shipped", Status: templates.StatusApproved},
		{Name: "welcome", Status: templates.StatusApproved}, {Name: "order_paused", Status: templates.StatusPaused},
	}
	require.Equal(t, []string{"order_update"}, closeNames(list, "order_updat"))
	require.Equal(t, []string{"order_shipped", "order_update"}, closeNames(list, "order"), "contained names first, by name; not paused ones")
	require.Equal(t, []string{"welcome"}, closeNames(list, "welcom"))
	require.Empty(t, closeNames(list, "refund"))
}

func TestTemplateValueProblem(t *testing.T) {
	t.Parallel()
	tpl := templates.Template{Name: "t", Language: "es", Components: []templates.Component{
		{Type: "HEADER", Format: "IMAGE"}, {Type: "BODY", Text: "Hola {{1}}"}}}
	cases := []struct {
		name   string
		values []string
		want   string
	}{
		{"fine", []string{"https://ex.com/a.jpg", "Ana"}, ""},
		{"too few", []string{"https://ex.com/a.jpg"}, "takes 2 values and you gave 1"},
		{"empty", []string{"https://ex.com/a.jpg", " "}, "Value 2 ({{1}})"},
		{"not a link", []string{"a.jpg", "Ana"}, "must be an https:// link"},
		{"a link with spaces", []string{"https://ex.com/a b.jpg", "Ana"}, "must be an https:// link"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := templateValueProblem("en", tpl, tc.values)
			if tc.want == "" {
				require.Empty(t, got)
				return
			}
			require.Contains(t, got, tc.want)
		})
	}
}

func TestWindowField(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	cases := []struct {
		name      string
		last      time.Time
		value     string
		hasAt     bool
		stateWant string
	}{
		{"fresh", now.Add(-20*time.Hour - 48*time.Minute), "🟢 open · closes in 3h12m", true, windowOpen},
		{"last hour", now.Add(-23*time.Hour - 18*time.Minute), "🟠 open · closes in 42m", true, windowClosing},
		{"closed", now.Add(-24 * time.Hour), "🔴 closed · templates only", false, windowClosed},
		{"never wrote", time.Time{}, "🔴 closed · templates only", false, windowClosed},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			conv := Conversation{LastCustomerAt: tc.last}
			f := windowField(conv, "en", now)
			require.Equal(t, tc.value, f.Value)
			require.Equal(t, tc.stateWant, windowState(conv, now))
			if !tc.hasAt {
				require.True(t, f.At.IsZero())
				return
			}
			require.Equal(t, tc.last.Add(CustomerWindow), f.At)
			require.Equal(t, 1, strings.Count(f.AtFormat, "%s"), "the adapter puts the instant in one place")
			require.NotContains(t, f.AtFormat, "in 3h")
		})
	}
	require.Equal(t, "🟢 abierta · se cierra en 3h12m", windowField(Conversation{LastCustomerAt: now.Add(-20*time.Hour - 48*time.Minute)}, "es", now).Value)
}

// Every text of this capability takes the same placeholders, in the same
// order, in every language (a missing %s would print %!s(MISSING)).
func TestTemplateSendTextsHaveTheSameVerbs(t *testing.T) {
	t.Parallel()
	verbs := regexp.MustCompile(`%[-+# 0-9.]*[a-zA-Z%]`)
	for key, tr := range templateSendTexts {
		en := strings.Join(verbs.FindAllString(tr["en"], -1), " ")
		for _, lang := range []string{"es", "pt"} {
			require.Equal(t, en, strings.Join(verbs.FindAllString(tr[lang], -1), " "), "%s in %s", key, lang)
		}
	}
}
