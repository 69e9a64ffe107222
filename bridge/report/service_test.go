package report

import (
	"bytes"
	"context"
	"image/png"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/bridge"
)

func TestResolvePeriod(t *testing.T) {
	t.Parallel()
	loc := madrid(t)
	now := local(t, loc, "2025-03-31 10:00") // the Monday after spring forward
	at := func(s string) time.Time { return local(t, loc, s) }
	for _, tc := range []struct {
		name, period, from, to string
		want                   Period
	}{
		{"today by default", "", "", "", Period{at("2025-03-31 00:00"), at("2025-04-01 00:00")}},
		{"yesterday", "yesterday", "", "", Period{at("2025-03-30 00:00"), at("2025-03-31 00:00")}},
		{"7d is the seven whole days before today", "7d", "", "", Period{at("2025-03-24 00:00"), at("2025-03-31 00:00")}},
		{"30d", "30D", "", "", Period{at("2025-03-01 00:00"), at("2025-03-31 00:00")}},
		{"dates include the last day", "", "2025-03-30", "2025-03-30", Period{at("2025-03-30 00:00"), at("2025-03-31 00:00")}},
		{"dates replace a period name", "7d", "2025-03-01", "2025-03-31", Period{at("2025-03-01 00:00"), at("2025-04-01 00:00")}},
		{"RFC 3339 instants are taken as they are", "", "2025-03-30T00:00:00Z", "2025-03-30T12:00:00Z",
			Period{time.Date(2025, 3, 30, 0, 0, 0, 0, time.UTC), time.Date(2025, 3, 30, 12, 0, 0, 0, time.UTC)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ResolvePeriod(tc.period, tc.from, tc.to, now, loc)
			require.NoError(t, err)
			require.True(t, tc.want.From.Equal(got.From), "from %s, want %s", got.From, tc.want.From)
			require.True(t, tc.want.To.Equal(got.To), "to %s, want %s", got.To, tc.want.To)
		})
	}
	yesterday, err := ResolvePeriod("yesterday", "", "", now, loc)
	require.NoError(t, err)
	require.Equal(t, 23*time.Hour, yesterday.To.Sub(yesterday.From), "the spring-forward day has 23 hours")
	for _, bad := range [][3]string{{"lastweek", "", ""}, {"", "2025-03-01", ""}, {"", "2025-03-10", "2025-03-01"}, {"", "1/3/2025", "2025-03-02"}} {
		_, err := ResolvePeriod(bad[0], bad[1], bad[2], now, loc)
		require.ErrorIs(t, err, bridge.ErrBadPeriod, "%q", bad)
	}
}

// The service resolves the period in the team's zone, loads that period
// for that team, measures the backlog at the query's instant and uses the
// team's hours and targets.
func TestServiceComputesInTheTeamsSettings(t *testing.T) {
	t.Parallel()
	loc := madrid(t)
	facts := seed(t)
	var asked struct {
		from, to time.Time
		team     string
	}
	hours := testHours(t)
	s := &Service{
		Source: Loader(func(_ context.Context, from, to time.Time, team string) (Facts, error) {
			asked.from, asked.to, asked.team = from, to, team
			f := facts
			f.Now = time.Now() // what storage sets; the service replaces it
			return f, nil
		}),
		Teams: map[string]TeamSettings{"support": {Location: loc, Hours: hours, Targets: Targets{FirstResponse: 30 * time.Minute}}},
	}
	now := local(t, loc, "2025-03-31 10:00")
	q := bridge.ReportQuery{Team: "support", Period: "7d", Now: now, Lang: "en", ByAgent: true, Chart: true}
	m, err := s.Metrics(context.Background(), q)
	require.NoError(t, err)
	require.Equal(t, "support", asked.team)
	require.True(t, asked.from.Equal(local(t, loc, "2025-03-24 00:00")))
	require.True(t, asked.to.Equal(local(t, loc, "2025-03-31 00:00")))
	require.Equal(t, now, m.Now, "the backlog is measured at the query's instant")
	require.True(t, m.BusinessHours)
	require.Equal(t, 30*time.Minute, m.Targets.FirstResponse)
	require.Equal(t, Compute(Facts{Conversations: facts.Conversations, Events: facts.Events, CSAT: facts.CSAT, Now: now},
		Period{From: asked.from, To: asked.to}, Filter{Team: "support", ByAgent: true}, Options{Hours: hours, Targets: Targets{FirstResponse: 30 * time.Minute}}), m)

	rep, err := s.Report(context.Background(), q)
	require.NoError(t, err)
	require.Equal(t, m.Table("en"), rep.Table)
	img, err := png.Decode(bytes.NewReader(rep.Chart))
	require.NoError(t, err)
	require.Equal(t, ChartWidth, img.Bounds().Dx())

	_, err = s.Report(context.Background(), bridge.ReportQuery{Team: "support", Period: "fortnight", Now: now})
	require.ErrorIs(t, err, bridge.ErrBadPeriod)
}

// The bridge writes routed events as "<team> <route id>" since routing
// rules exist; the team is the first word.
func TestRoutedEventWithARouteID(t *testing.T) {
	t.Parallel()
	at := time.Date(2025, 3, 24, 10, 0, 0, 0, time.UTC)
	f := Facts{
		Conversations: []Conversation{{ID: 1, Team: "sales", State: bridge.StatePending, OpenedAt: at}},
		Events: []Event{
			{Seq: 1, ConversationID: 1, Kind: bridge.EventRouted, Data: "support refunds", At: at},
			{Seq: 2, ConversationID: 1, Kind: bridge.EventTransferred, Data: "team:support->sales", At: at.Add(time.Minute)},
		},
		Now: at.Add(time.Hour),
	}
	p := Period{From: at.Add(-time.Hour), To: at.Add(time.Hour)}
	require.Equal(t, 1, Compute(f, p, Filter{Team: "support"}, Options{}).Counts.Received)
	require.Equal(t, 1, Compute(f, p, Filter{Team: "sales"}, Options{}).Counts.TransferredIn)
}
