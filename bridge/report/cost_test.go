package report_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/bridge/report"
)

func TestComputeCostPricesBillableMessagesPerTeamAndCategory(t *testing.T) {
	t.Parallel()
	rates := report.Rates{Currency: "USD", Rates: map[string]float64{"marketing": 0.025, "utility": 0.004, "authentication": 0.0035},
		Countries: map[string]map[string]float64{"BR": {"marketing": 0.0625}}}
	tests := []struct {
		name   string
		counts []report.CostCount
		rates  report.Rates
		want   report.Cost
	}{
		{"nothing priced", nil, rates, report.Cost{Currency: "USD"}},
		{"billable and free in one category",
			[]report.CostCount{{Team: "support", Category: "utility", Country: "ES", Charged: true, Messages: 3},
				{Team: "support", Category: "utility", Country: "ES", Messages: 2}},
			rates, report.Cost{Currency: "USD", Billable: 3, Free: 2, Amount: 0.012,
				Rows: []report.CostRow{{Team: "support", Category: "utility", Billable: 3, Free: 2, Amount: 0.012, Priced: true}}}},
		{"a country rate overrides the category rate, others keep it",
			[]report.CostCount{{Team: "sales", Category: "marketing", Country: "BR", Charged: true, Messages: 2},
				{Team: "sales", Category: "marketing", Country: "ES", Charged: true, Messages: 1}},
			rates, report.Cost{Currency: "USD", Billable: 3, Amount: 0.15,
				Rows: []report.CostRow{{Team: "sales", Category: "marketing", Billable: 3, Amount: 0.15, Priced: true}}}},
		{"teams in name order, categories in Meta's order",
			[]report.CostCount{{Team: "support", Category: "service", Messages: 4},
				{Team: "support", Category: "marketing", Charged: true, Messages: 1},
				{Team: "billing", Category: "authentication", Charged: true, Messages: 2}},
			rates, report.Cost{Currency: "USD", Billable: 3, Free: 4, Amount: 0.032,
				Rows: []report.CostRow{{Team: "billing", Category: "authentication", Billable: 2, Amount: 0.007, Priced: true},
					{Team: "support", Category: "marketing", Billable: 1, Amount: 0.025, Priced: true},
					{Team: "support", Category: "service", Free: 4, Priced: true}}}},
		{"a billable category without a rate is counted and named, not priced",
			[]report.CostCount{{Team: "support", Category: "referral_conversion", Charged: true, Messages: 1},
				{Team: "support", Category: "utility", Charged: true, Messages: 1}},
			rates, report.Cost{Currency: "USD", Billable: 2, Amount: 0.004, Unpriced: []string{"referral_conversion"},
				Rows: []report.CostRow{{Team: "support", Category: "utility", Billable: 1, Amount: 0.004, Priced: true},
					{Team: "support", Category: "referral_conversion", Billable: 1}}}},
		{"without rates only counts",
			[]report.CostCount{{Team: "support", Category: "marketing", Charged: true, Messages: 5}},
			report.Rates{}, report.Cost{Billable: 5, Unpriced: []string{"marketing"},
				Rows: []report.CostRow{{Team: "support", Category: "marketing", Billable: 5}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tt.want, report.ComputeCost(tt.counts, tt.rates))
		})
	}
}

func TestCostSectionOfTheTableAndExport(t *testing.T) {
	t.Parallel()
	rates := report.Rates{Currency: "USD", Rates: map[string]float64{"marketing": 0.025, "utility": 0.004}}
	m := report.Metrics{Period: report.Period{From: time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 7, 2, 0, 0, 0, 0, time.UTC)},
		Cost: report.ComputeCost([]report.CostCount{
			{Team: "support", Category: "marketing", Charged: true, Messages: 2},
			{Team: "support", Category: "utility", Charged: true, Messages: 1},
			{Team: "support", Category: "service", Messages: 3},
			{Team: "support", Category: "authentication", Charged: true, Messages: 1},
		}, rates)}
	table := m.Table("en")
	require.Regexp(t, `Cost\s+Billable\s+Free\s+USD\n`, table)
	require.Regexp(t, `support · marketing\s+2\s+0\s+0\.0500\n`, table)
	require.Regexp(t, `support · utility\s+1\s+0\s+0\.0040\n`, table)
	require.Regexp(t, `support · authentication\s+1\s+0\s+no rate\n`, table)
	require.Regexp(t, `support · service\s+0\s+3\s+0\.00\n`, table)
	require.Regexp(t, `Total\s+4\s+3\s+0\.0540\n`, table)
	require.Contains(t, table, "No rate for authentication in the configuration (pricing.rates)")
	require.Regexp(t, `Coste\s+Cobrados\s+Gratis\s+USD\n`, m.Table("es"), "translated")
	require.NotContains(t, report.Metrics{}.Table("en"), "Billable", "no section without priced messages")

	rows := map[string]float64{}
	for _, r := range m.Rows() {
		rows[r.Scope+" "+r.Metric] = r.Value
	}
	require.Equal(t, 2.0, rows["team:support billable_marketing"])
	require.Equal(t, 3.0, rows["team:support free_service"])
	require.Equal(t, 0.05, rows["team:support cost_marketing_usd"])
	require.NotContains(t, rows, "team:support cost_authentication_usd", "no rate, no cost row")
	require.Equal(t, 4.0, rows["all billable_messages"])
	require.Equal(t, 0.054, rows["all cost_total_usd"])
	var csv strings.Builder
	require.NoError(t, m.WriteCSV(&csv))
	require.Contains(t, csv.String(), ",team:support,billable_marketing,2\n")
}
