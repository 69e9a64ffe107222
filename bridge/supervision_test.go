package bridge

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestMetricsArguments(t *testing.T) {
	t.Parallel()
	isTeam := func(s string) bool { return s == "support" || s == "sales" }
	inbox := func(s string) (InboxID, bool) {
		if s == "105954558954427" || strings.EqualFold(s, "Madrid") {
			return "105954558954427", true
		}
		return "", false
	}
	for _, tc := range []struct {
		name string
		text []string
		want metricsArgs
		bad  string
	}{
		{"nothing means the channel's team today", nil, metricsArgs{Period: "today"}, ""},
		{"a team and a period", []string{"sales", "7d"}, metricsArgs{Team: "sales", Period: "7d"}, ""},
		{"words in any order and case", []string{"POST", "Yesterday", "#support"}, metricsArgs{Team: "support", Period: "yesterday", Post: true}, ""},
		{"a Slack mention names an agent", []string{"<@U0AGENTA01|ana>", "30d"}, metricsArgs{Agent: "U0AGENTA01", Period: "30d"}, ""},
		{"a Discord mention names an agent", []string{"<@!200000000000000001>"}, metricsArgs{Agent: "200000000000000001", Period: "today"}, ""},
		{"a bare user id names an agent", []string{"@U0AGENTA01"}, metricsArgs{Agent: "U0AGENTA01", Period: "today"}, ""},
		{"explicit dates", []string{"--from", "2025-03-01", "--to=2025-03-31"}, metricsArgs{From: "2025-03-01", To: "2025-03-31", Period: "today"}, ""},
		{"a display name cannot be resolved", []string{"@ana"}, metricsArgs{Period: ""}, "@ana"},
		{"an inbox by id", []string{"105954558954427", "7d"}, metricsArgs{Inbox: "105954558954427", Period: "7d"}, ""},
		{"an inbox by name, with a team", []string{"sales", "madrid"}, metricsArgs{Team: "sales", Inbox: "105954558954427", Period: "today"}, ""},
		{"an unknown word", []string{"support", "lastweek"}, metricsArgs{Team: "support"}, "lastweek"},
		{"a malformed date", []string{"--from", "1/3/2025"}, metricsArgs{}, "1/3/2025"},
		{"a date needs its pair", []string{"--from", "2025-03-01"}, metricsArgs{From: "2025-03-01"}, "--to"},
		{"a flag needs its value", []string{"--to"}, metricsArgs{}, "--to"},
		{"a channel", []string{"channel:messenger", "7d"}, metricsArgs{Channel: ChannelMessenger, Period: "7d"}, ""},
		{"a channel with = and in capitals", []string{"Channel=EMAIL"}, metricsArgs{Channel: ChannelEmail, Period: "today"}, ""},
		{"an unknown channel", []string{"channel:telegram"}, metricsArgs{}, "channel:telegram"},
		{"a label is normalised as stored", []string{"label:VIP", "sales"}, metricsArgs{Team: "sales", Label: "vip", Period: "today"}, ""},
		{"a label of several words", []string{"label=Key_Account"}, metricsArgs{Label: "key-account", Period: "today"}, ""},
		{"an empty label", []string{"label:"}, metricsArgs{}, "label:"},
		{"channel and label together", []string{"label:vip", "channel:instagram", "30d"}, metricsArgs{Channel: ChannelInstagram, Label: "vip", Period: "30d"}, ""},
		{"chart and totals (Discord's chart and by_agent options)", []string{"chart", "TOTALS", "7d"}, metricsArgs{Period: "7d", Chart: true, Totals: true}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, bad := parseMetricsArgs(tc.text, isTeam, inbox)
			require.Equal(t, tc.bad, bad)
			if bad == "" {
				require.Equal(t, tc.want, got)
			}
		})
	}
}

func TestSurveyButtonIDs(t *testing.T) {
	t.Parallel()
	id := csatButtonID(42, CSATGood)
	require.Equal(t, "csat:42:3", id)
	conv, score, ok := parseCSATButton(id)
	require.True(t, ok)
	require.Equal(t, ConversationID(42), conv)
	require.Equal(t, CSATGood, score)
	for _, bad := range []string{"csat:42:4", "csat:42:0", "csat:x:1", "csat:-1:1", "csat:42", "other:42:1", ""} {
		_, _, ok := parseCSATButton(bad)
		require.False(t, ok, bad)
	}
	for _, lang := range []string{"en", "es", "pt"} {
		for _, w := range csatWords {
			title := Text(lang, w+"_button")
			require.LessOrEqual(t, len([]rune(title)), 20, "WhatsApp takes button titles of at most 20 characters: %q", title)
		}
	}
}

func TestSLALevel(t *testing.T) {
	t.Parallel()
	const target = 10 * time.Minute
	for _, tc := range []struct {
		used   time.Duration
		warnAt float64
		want   string
	}{
		{7 * time.Minute, 0.8, ""},
		{8 * time.Minute, 0.8, SLAWarning},
		{10 * time.Minute, 0.8, SLAWarning}, // exactly on target is still met
		{10*time.Minute + time.Second, 0.8, SLABreach},
		{9 * time.Minute, 0, ""}, // no warnings configured
		{11 * time.Minute, 0, SLABreach},
	} {
		require.Equal(t, tc.want, SLALevel(tc.used, target, tc.warnAt), "%s at %.1f", tc.used, tc.warnAt)
	}
	require.Empty(t, SLALevel(time.Hour, 0, 0.8), "a zero target is not watched")
}

func TestDueDigests(t *testing.T) {
	t.Parallel()
	madrid, err := time.LoadLocation("Europe/Madrid")
	require.NoError(t, err)
	sched := DigestSchedule{Daily: true, Weekly: true, Weekday: time.Monday, At: 9 * time.Hour}
	at := func(s string) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04", s, madrid)
		require.NoError(t, err)
		return v
	}
	t.Run("nothing is due before the time of day", func(t *testing.T) {
		require.Empty(t, DueDigests(sched, madrid, at("2025-03-24 08:59")))
	})
	t.Run("a Monday after nine has the daily and the weekly digest", func(t *testing.T) {
		due := DueDigests(sched, madrid, at("2025-03-24 09:00"))
		require.Equal(t, []DigestRun{
			{Kind: "daily", Day: "2025-03-24", FireAt: at("2025-03-24 09:00"), Period: "yesterday"},
			{Kind: "weekly", Day: "2025-03-24", FireAt: at("2025-03-24 09:00"), Period: "7d"},
		}, due)
	})
	t.Run("on the day clocks go forward the local time still counts", func(t *testing.T) {
		due := DueDigests(sched, madrid, at("2025-03-30 09:30"))
		require.Len(t, due, 1)
		require.Equal(t, "2025-03-30", due[0].Day)
		require.Equal(t, time.Date(2025, 3, 30, 7, 0, 0, 0, time.UTC), due[0].FireAt.UTC(), "09:00 CEST is 07:00 UTC")
	})
	t.Run("the day is the local one, not UTC's", func(t *testing.T) {
		require.Empty(t, DueDigests(sched, madrid, time.Date(2025, 3, 24, 23, 30, 0, 0, time.UTC)),
			"23:30 UTC is 00:30 of the next day in Madrid, before nine")
		due := DueDigests(sched, madrid, time.Date(2025, 3, 25, 8, 0, 0, 0, time.UTC))
		require.Equal(t, "2025-03-25", due[0].Day)
	})
}

func TestMetricsAccess(t *testing.T) {
	t.Parallel()
	teams := map[string]Team{
		"support": {Name: "support", Members: []string{"UANA", "UBEA"}, Supervisors: []string{"USUP"}},
		"sales":   {Name: "sales", Members: []string{"UCRIS", "UDAN"}},
	}
	access := func(user, team, agent string) metricsAccess {
		standings := map[string]Standing{}
		for name, t := range teams {
			standings[name] = standing(t, Person{ID: user}, nil)
		}
		return accessOf(teams, standings, user, team, agent)
	}
	tests := []struct {
		name              string
		user, team, agent string
		want              metricsAccess
	}{
		{"a supervisor reads everything about the team", "USUP", "support", "", accessAll},
		{"a supervisor reads one agent", "USUP", "support", "UANA", accessAll},
		{"a member reads the team's totals only", "UANA", "support", "", accessTotals},
		{"a member reads their own figures", "UANA", "support", "UANA", accessAll},
		{"a member may not read a colleague", "UANA", "support", "UBEA", accessNone},
		{"a team without supervisors keeps no secrets from members", "UCRIS", "sales", "UDAN", accessAll},
		{"a stranger may not read another team", "UCRIS", "support", "", accessNone},
		{"every team needs every team's permission", "USUP", "", "", accessNone},
		{"every team, for a member of one", "UANA", "", "", accessNone},
		{"anyone reads their own figures across teams", "UCRIS", "", "UCRIS", accessAll},
		{"someone in no team reads nothing, not even their own", "UZED", "", "UZED", accessNone},
		{"someone in no team reads no team", "UZED", "support", "", accessNone},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := access(tc.user, tc.team, tc.agent); got != tc.want {
				t.Fatalf("metricsAccess(%s, %q, %q) = %d, want %d", tc.user, tc.team, tc.agent, got, tc.want)
			}
		})
	}
	teams["sales"] = Team{Name: "sales", Supervisors: []string{"USUP"}}
	if got := access("USUP", "", ""); got != accessAll {
		t.Fatalf("a supervisor of every team reads them all: got %d", got)
	}
}
