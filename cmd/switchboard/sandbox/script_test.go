package sandbox

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestScriptNamesOnlyWhoAndWhereExists(t *testing.T) {
	t.Parallel()
	require.GreaterOrEqual(t, len(script), 6)
	require.LessOrEqual(t, len(script), 10)
	ids := map[string]bool{}
	for _, s := range script {
		require.False(t, ids[s.ID], "step ids are unique: %s", s.ID)
		ids[s.ID] = true
		require.NotEmpty(t, s.Title, s.ID)
		require.NotEmpty(t, s.Hint, s.ID)
		isCustomer := slices.ContainsFunc(seedCustomers, func(c Customer) bool { return c.WaID == s.As })
		isPerson := slices.ContainsFunc(seedUsers, func(u User) bool { return u.ID == s.As })
		require.True(t, isCustomer != isPerson, "%s: As names a seeded customer or a person: %q", s.ID, s.As)
		if isCustomer {
			require.Contains(t, []string{"text", "image", "location"}, s.Kind, "%s: what the customer sends", s.ID)
			require.Empty(t, s.Channel, s.ID)
			continue
		}
		require.Empty(t, s.Kind, s.ID)
		require.True(t, slices.ContainsFunc(seedChannels, func(c Channel) bool { return c.ID == s.Channel }),
			"%s: a person acts in one of the channels", s.ID)
		u := seedUsers[slices.IndexFunc(seedUsers, func(u User) bool { return u.ID == s.As })]
		ch := seedChannels[slices.IndexFunc(seedChannels, func(c Channel) bool { return c.ID == s.Channel })]
		require.Contains(t, u.Teams, ch.Team, "%s: %s is a member of #%s", s.ID, u.Name, ch.Name)
	}
}
