package routing

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestShifts(t *testing.T) {
	t.Parallel()
	rt, err := Load([]byte(`
teams:
  - name: support
    shifts:
      - agent: UDAY
        time_zone: America/Bogota
        weekly: {mon-fri: ["08:00-16:00"]}
      - agent: UNIGHT
        time_zone: Europe/Lisbon
        weekly: {sun-thu: ["22:00-06:00"]}
        holidays: ["2025-03-05"]
route: {team: support}
`))
	require.NoError(t, err)
	team := rt.Teams["support"]
	day, night := team.Shifts[0], team.Shifts[1]

	cases := []struct {
		name  string
		shift Shift
		at    string // UTC
		on    bool
	}{
		{"day shift in Bogotá at 09:00 local (14:00 UTC)", day, "2025-03-03 14:00", true},
		{"day shift ends 16:00 local (21:00 UTC)", day, "2025-03-03 21:00", false},
		{"day shift off on saturday", day, "2025-03-08 14:00", false},
		{"night shift across midnight in Lisbon", night, "2025-03-04 02:00", true},
		{"night shift starts on a sunday", night, "2025-03-02 23:00", true},
		{"night shift not on friday night", night, "2025-03-07 23:00", false},
		{"night shift holiday", night, "2025-03-05 23:00", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, c.on, c.shift.On(at(t, "UTC", c.at)))
		})
	}

	t.Run("availability follows shifts for agents who have them", func(t *testing.T) {
		t.Parallel()
		agents := []Agent{{ID: "UDAY", Available: true}, {ID: "UNIGHT", Available: true}, {ID: "UFREE", Available: true}, {ID: "UAWAY"}}
		got := team.Availability(agents, at(t, "UTC", "2025-03-03 14:00"))
		require.Equal(t, []bool{true, false, true, false}, []bool{got[0].Available, got[1].Available, got[2].Available, got[3].Available})
		require.True(t, agents[1].Available, "input untouched")
	})
}

func TestShiftErrors(t *testing.T) {
	t.Parallel()
	cases := []struct{ name, yaml, want string }{
		{"no agent", "teams: [{name: a, shifts: [{time_zone: UTC, weekly: {mon: [\"09:00-10:00\"]}}]}]\nroute: {team: a}", `team "a": shifts[0].agent: required`},
		{"two shifts", "teams: [{name: a, shifts: [{agent: U1, time_zone: UTC, weekly: {mon: [\"09:00-10:00\"]}}, {agent: U1, time_zone: UTC, weekly: {tue: [\"09:00-10:00\"]}}]}]\nroute: {team: a}", `shifts[1].agent: "U1" has two shifts`},
		{"no zone", "teams: [{name: a, shifts: [{agent: U1, weekly: {mon: [\"09:00-10:00\"]}}]}]\nroute: {team: a}", `team "a": shifts[0].time_zone: required`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			_, err := Load([]byte(c.yaml))
			require.ErrorContains(t, err, c.want)
		})
	}
}
