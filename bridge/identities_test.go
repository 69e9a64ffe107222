package bridge

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestIsBSUID(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		in   string
		want bool
	}{
		{"US.13491208655302741918", true},     // Meta's documented example
		{"US.ENT.11815799212886844830", true}, // a parent BSUID
		{"BR.1502576394655843", true},         // 360dialog's example
		{"user.93737485", true},               // an earlier version of Meta's docs
		{"16505551234", false},                // a wa_id
		{"+34 612 34 56 78", false},
		{"@sheena", false},
		{"US.", false},
		{".123", false},
		{"US.12 34", false},
		{"", false},
	} {
		require.Equal(t, tt.want, IsBSUID(tt.in), tt.in)
	}
}

func TestMaskingKeepsBSUIDsApartFromPhoneNumbers(t *testing.T) {
	t.Parallel()
	require.Equal(t, "US.…1918", MaskPhone("US.13491208655302741918"), "a BSUID is never shown as +US…")
	require.Equal(t, "US.…1918", MaskAddress("US.13491208655302741918"))
	require.Equal(t, "+34 6•• •• •• 78", MaskAddress("34612345678"))
	require.Equal(t, "US.…4830", MaskUserID("US.ENT.11815799212886844830"))
	require.NotContains(t, MaskAddress("US.13491208655302741918"), "134912086553")
}

func TestBSUIDCountryGuidesLanguageAndCost(t *testing.T) {
	t.Parallel()
	require.Equal(t, "ES", regionOf("ES.13491208655302741918"))
	require.Equal(t, "", bsuidCountry("user.93737485"))
	require.Equal(t, regionLanguages["BR"], CustomerLanguage(Contact{UserID: "BR.1502576394655843"}))
	require.Equal(t, "es", CustomerLanguage(Contact{UserID: "BR.1502576394655843", Language: "es"}), "what the customer wrote wins")
}

func TestCustomerLabel(t *testing.T) {
	t.Parallel()
	require.Equal(t, "Ana", customerLabel(Contact{Name: "Ana", Username: "@ana", Phone: "34612345678"}, "?"))
	require.Equal(t, "@ana", customerLabel(Contact{Username: "@ana", UserID: "ES.1"}, "?"))
	require.Equal(t, MaskPhone("34612345678"), customerLabel(Contact{Phone: "34612345678"}, "?"))
	require.Equal(t, "?", customerLabel(Contact{UserID: "ES.1"}, "?"))
}

func TestLooksLikeUsername(t *testing.T) {
	t.Parallel()
	require.True(t, looksLikeUsername(" @sheena "))
	require.True(t, looksLikeUsername("US.13491208655302741918"))
	require.False(t, looksLikeUsername("+34 612 34 56 78"))
}

func TestIdentityChangeTextGoesThroughTheCatalogue(t *testing.T) {
	t.Parallel()
	for _, lang := range []string{"en", "es", "pt"} {
		text := identityChangeText(lang, &IdentityChange{Kind: IdentityNumberChanged, NewPhone: "34699999999"})
		require.Contains(t, text, "+34 6")
		require.NotContains(t, text, "34699999999", "the new number is masked")
		require.NotEqual(t, identityChangeText("en", &IdentityChange{Kind: IdentityUserIDChanged}), text)
	}
}

func TestInboundContactOfAUsernameOnlyCustomer(t *testing.T) {
	t.Parallel()
	b := &Bridge{}
	now := time.Unix(1749416383, 0)
	c := b.inboundContact(InboundMessage{From: "US.13491208655302741918", FromUserID: "US.13491208655302741918", FromUsername: "@sheena"}, now)
	require.Empty(t, c.Phone, "a BSUID is not a phone number")
	require.Equal(t, "US.13491208655302741918", c.UserID)
	require.Equal(t, "@sheena", c.Username)
	c = b.inboundContact(InboundMessage{From: "16505551234", FromUserID: "US.13491208655302741918"}, now)
	require.Equal(t, "16505551234", c.Phone)
	require.Equal(t, CustomerAddress("16505551234"), c.Address)
}
