package contacts

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestStage(t *testing.T) {
	s := NewSchema(nil, nil)
	require.Equal(t, DefaultStages, s.Stages, "no stages configured means the default pipeline")
	es := NewSchema([]string{"Prospecto", "Calificado", "Cliente"}, nil)
	for _, tc := range []struct {
		schema Schema
		in     string
		want   string
	}{
		{s, "qualified", "qualified"},
		{s, " QUALIFIED ", "qualified"},
		{es, "calificado", "Calificado"},
		{es, "cLiEnTe", "Cliente"},
		{NewSchema([]string{"Negociación"}, nil), "negociacion", "Negociación"},
		{NewSchema([]string{"Negociacion"}, nil), "NEGOCIACIÓN", "Negociacion"},
	} {
		got, err := tc.schema.Stage(tc.in)
		require.NoError(t, err, tc.in)
		require.Equal(t, tc.want, got, tc.in)
	}
	for _, in := range []string{"", "won", "qualifie"} {
		_, err := s.Stage(in)
		require.ErrorIs(t, err, ErrUnknownStage, in)
		require.Contains(t, err.Error(), "lead, qualified, customer, lost", "the error lists the valid stages")
	}
}

func TestParseAttribute(t *testing.T) {
	s := NewSchema(nil, []AttributeDef{
		{Name: "seats", Kind: KindNumber},
		{Name: "renewal", Kind: KindDate},
		{Name: "plan", Kind: KindList, Options: []string{"Free", "Gold", "Platinum"}},
	})
	for _, tc := range []struct {
		name, in, want string
		errHas         string // "" when valid
	}{
		{"seats", "12", "12", ""},
		{"seats", " 12.50 ", "12.5", ""},
		{"seats", "3,5", "3.5", ""},
		{"seats", "-0", "-0", ""},
		{"seats", "twelve", "", "seats is a number"},
		{"seats", "", "", "seats is a number"},
		{"renewal", "2026-03-04", "2026-03-04", ""},
		{"renewal", "2026/03/04", "2026-03-04", ""},
		{"renewal", "04/03/2026", "2026-03-04", ""},
		{"renewal", "4/3/2026", "2026-03-04", ""},
		{"renewal", "04.03.2026", "2026-03-04", ""},
		{"renewal", "4 Mar 2026", "2026-03-04", ""},
		{"renewal", "2026-02-30", "", "renewal is a date (YYYY-MM-DD)"},
		{"renewal", "soon", "", "renewal is a date"},
		{"plan", "gold", "Gold", ""},
		{"plan", " PLATINUM", "Platinum", ""},
		{"plan", "silver", "", "plan is a list (one of: Free, Gold, Platinum)"},
		{"company", "  Acme Ltd ", "Acme Ltd", ""},
		{"company", "", "", "company is text"},
		{"company", string(make([]byte, MaxValueLength+1)), "", "company is text"},
	} {
		got, err := s.Parse(tc.name, tc.in)
		if tc.errHas == "" {
			require.NoError(t, err, "%s=%q", tc.name, tc.in)
			require.Equal(t, tc.want, got, "%s=%q", tc.name, tc.in)
			continue
		}
		require.ErrorIs(t, err, ErrBadValue, "%s=%q", tc.name, tc.in)
		require.Contains(t, err.Error(), tc.errHas)
	}
}

func TestNormalizeLabel(t *testing.T) {
	long := "abcdefghijabcdefghijabcdefghijabcdefghijx"
	for _, tc := range []struct{ in, want string }{
		{"VIP", "vip"},
		{"  vip  ", "vip"},
		{"Key Account", "key-account"},
		{"key   account", "key-account"},
		{"key_account", "key-account"},
		{"São Paulo", "são-paulo"},
		{long[:MaxLabelLength], long[:MaxLabelLength]},
		{"", ""},
		{"   ", ""},
		{long, ""},
		{"a,b", ""},
	} {
		got, err := NormalizeLabel(tc.in)
		if tc.want == "" {
			require.True(t, errors.Is(err, ErrBadValue), "%q must be refused", tc.in)
			continue
		}
		require.NoError(t, err, tc.in)
		require.Equal(t, tc.want, got)
	}
}

func TestValidAttributeName(t *testing.T) {
	for name, ok := range map[string]bool{"plan": true, "renewal_date": true, "x1": true, "Plan": false, "1x": false, "a-b": false, "": false} {
		require.Equal(t, ok, ValidAttributeName(name), name)
	}
}

func TestSuggestions(t *testing.T) {
	wa := func(id int64, phone string) Identity {
		return Identity{ContactID: id, Channel: "whatsapp", Phone: phone}
	}
	mail := func(id int64, e string) Identity { return Identity{ContactID: id, Channel: "email", Email: e} }
	me := Person{ID: 1, Identities: []Identity{wa(1, "34600111222"), mail(2, "Maria@Example.com")}}
	for _, tc := range []struct {
		name       string
		candidates []Person
		want       []Suggestion
	}{
		{"nobody", nil, nil},
		{"same phone", []Person{{ID: 12, Name: "María", Identities: []Identity{wa(12, "34600111222")}}},
			[]Suggestion{{PersonID: 12, Name: "María", Same: "phone", Value: "34600111222"}}},
		{"same e-mail in another case", []Person{{ID: 5, Identities: []Identity{mail(5, "maria@example.COM")}}},
			[]Suggestion{{PersonID: 5, Name: "maria@example.COM", Same: "email", Value: "maria@example.com"}}},
		{"phone wins over e-mail, once", []Person{{ID: 7, Identities: []Identity{mail(7, "maria@example.com"), wa(8, "34600111222")}}},
			[]Suggestion{{PersonID: 7, Name: "maria@example.com", Same: "phone", Value: "34600111222"}}},
		{"self, merged and erased are never suggested", []Person{
			{ID: 1, Identities: []Identity{wa(1, "34600111222")}},
			{ID: 3, MergedInto: 1, Identities: []Identity{wa(3, "34600111222")}},
			{ID: 4, ErasedAt: time.Unix(1, 0), Identities: []Identity{wa(4, "34600111222")}},
		}, nil},
		{"a different phone is no match", []Person{{ID: 9, Identities: []Identity{wa(9, "34600111223")}}}, nil},
		{"ordered by id", []Person{
			{ID: 20, Identities: []Identity{wa(20, "34600111222")}},
			{ID: 10, Identities: []Identity{mail(10, "maria@example.com")}},
		}, []Suggestion{
			{PersonID: 10, Name: "maria@example.com", Same: "email", Value: "maria@example.com"},
			{PersonID: 20, Name: "+34600111222", Same: "phone", Value: "34600111222"},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, Suggestions(me, tc.candidates))
		})
	}
}

func TestDisplayName(t *testing.T) {
	for _, tc := range []struct {
		p    Person
		want string
	}{
		{Person{ID: 3, Name: "María López", Identities: []Identity{{Name: "Mari"}}}, "María López"},
		{Person{ID: 3, Identities: []Identity{{Name: "Mari"}}}, "Mari"},
		{Person{ID: 3, Identities: []Identity{{Username: "@mari"}}}, "@mari"},
		{Person{ID: 3, Identities: []Identity{{Phone: "34600"}}}, "+34600"},
		{Person{ID: 3, Identities: []Identity{{Email: "a@b.c"}}}, "a@b.c"},
		{Person{ID: 3}, "#3"},
	} {
		require.Equal(t, tc.want, tc.p.DisplayName())
	}
}
