package report

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/switchboard/switchboard/bridge"
)

// CostCount counts the priced messages of a period that share a team,
// pricing category, recipient country and whether Meta charges them.
type CostCount struct {
	Team     string // "" when the message belongs to no known conversation
	Category string
	Country  string // ISO 3166 region of the recipient, "" when unknown
	Charged  bool
	Messages int
}

// CostSource loads the priced messages of a period (storage.ReportSource
// is one). A Source that is also a CostSource gives reports a cost
// section.
type CostSource interface {
	Costs(ctx context.Context, p Period, f Filter) ([]CostCount, error)
}

// Rates turns billable messages into money: a price per category, and per
// recipient country where Meta's rate card differs (Countries wins over
// Rates). A category without a rate is counted but not priced.
type Rates struct {
	Currency  string
	Rates     map[string]float64
	Countries map[string]map[string]float64
}

// rate is the price of one charged message of category to country.
func (r Rates) rate(category, country string) (float64, bool) {
	if v, ok := r.Countries[country][category]; ok {
		return v, true
	}
	v, ok := r.Rates[category]
	return v, ok
}

// CostRow is one team's messages of one category in the period.
type CostRow struct {
	Team     string
	Category string
	Billable int // charged by Meta
	Free     int // priced but free (customer-service window, free entry point)
	// Amount is what the billable messages cost at the configured rates;
	// Priced is false when some had no rate (Amount then counts the
	// others).
	Amount float64
	Priced bool
}

// Cost is the cost section of a report: one row per team and category,
// teams and categories in a stable order.
type Cost struct {
	Currency string
	Rows     []CostRow
	Billable int
	Free     int
	Amount   float64
	// Unpriced lists the categories with billable messages and no rate.
	Unpriced []string
}

// Empty reports whether no priced message was seen in the period.
func (c Cost) Empty() bool { return len(c.Rows) == 0 }

// ComputeCost sums counts per team and category and prices the billable
// messages with rates.
func ComputeCost(counts []CostCount, rates Rates) Cost {
	out := Cost{Currency: rates.Currency}
	index := map[[2]string]int{}
	unpriced := map[string]bool{}
	for _, c := range counts {
		key := [2]string{c.Team, c.Category}
		i, ok := index[key]
		if !ok {
			i = len(out.Rows)
			index[key] = i
			out.Rows = append(out.Rows, CostRow{Team: c.Team, Category: c.Category, Priced: true})
		}
		row := &out.Rows[i]
		if !c.Charged {
			row.Free += c.Messages
			out.Free += c.Messages
			continue
		}
		row.Billable += c.Messages
		out.Billable += c.Messages
		if v, ok := rates.rate(c.Category, c.Country); ok {
			row.Amount += v * float64(c.Messages)
		} else {
			row.Priced = false
			unpriced[c.Category] = true
		}
	}
	for i := range out.Rows {
		out.Rows[i].Amount = round(out.Rows[i].Amount)
		out.Amount += out.Rows[i].Amount
	}
	out.Amount = round(out.Amount)
	slices.SortStableFunc(out.Rows, func(a, b CostRow) int {
		if c := strings.Compare(a.Team, b.Team); c != 0 {
			return c
		}
		return categoryOrder(a.Category) - categoryOrder(b.Category)
	})
	for c := range unpriced {
		out.Unpriced = append(out.Unpriced, c)
	}
	slices.Sort(out.Unpriced)
	return out
}

// round keeps 6 decimals: rates have 4, so sums stay exact in reports.
func round(v float64) float64 { return math.Round(v*1e6) / 1e6 }

// categoryOrder lists Meta's categories in bridge.PricingCategories order,
// unknown ones after them.
func categoryOrder(c string) int {
	if i := slices.Index(bridge.PricingCategories, c); i >= 0 {
		return i
	}
	return len(bridge.PricingCategories)
}

// money writes an amount with the currency's usual 2 decimals, or 4 when
// smaller amounts would vanish (a few utility messages).
func money(v float64) string {
	if v != 0 && math.Abs(v) < 10 {
		return fmt.Sprintf("%.4f", v)
	}
	return fmt.Sprintf("%.2f", v)
}

// costTable writes the cost section of Table: billable and free messages
// per team and category and, with rates, the money.
func (c Cost) costTable(b *strings.Builder, lang string) {
	if c.Empty() {
		return
	}
	l := func(k string) string { return bridge.Text(lang, "cost."+k) }
	name := func(r CostRow) string {
		team := r.Team
		if team == "" {
			team = l("no_team")
		}
		return team + " · " + r.Category
	}
	width := utf8.RuneCountInString(l("total"))
	for _, r := range c.Rows {
		width = max(width, utf8.RuneCountInString(name(r)))
	}
	priced := c.Currency != ""
	b.WriteString("\n")
	fmt.Fprintf(b, "%-*s %8s %6s", width, l("title"), l("billable"), l("free"))
	if priced {
		fmt.Fprintf(b, " %10s", c.Currency)
	}
	b.WriteString("\n")
	line := func(label string, billable, free int, amount float64, ok bool) {
		fmt.Fprintf(b, "%-*s %8d %6d", width, label, billable, free)
		if priced {
			v := money(amount)
			if !ok {
				v = l("no_rate")
			}
			fmt.Fprintf(b, " %10s", v)
		}
		b.WriteString("\n")
	}
	for _, r := range c.Rows {
		line(name(r), r.Billable, r.Free, r.Amount, r.Priced || r.Billable == 0)
	}
	if len(c.Rows) > 1 {
		line(l("total"), c.Billable, c.Free, c.Amount, true)
	}
	if priced && len(c.Unpriced) > 0 {
		fmt.Fprintf(b, "%s\n", bridge.Text(lang, "cost.unpriced", strings.Join(c.Unpriced, ", ")))
	}
}

// costRows are the cost section's export rows: per team, billable_<category>
// and free_<category> counts and, with rates, cost_<category>_<currency>;
// then the totals in scope "all".
func (c Cost) costRows(add func(scope, name string, v float64)) {
	if c.Empty() {
		return
	}
	cur := strings.ToLower(c.Currency)
	for _, r := range c.Rows {
		scope := "team:" + r.Team
		add(scope, "billable_"+r.Category, float64(r.Billable))
		add(scope, "free_"+r.Category, float64(r.Free))
		if cur != "" && r.Priced {
			add(scope, "cost_"+r.Category+"_"+cur, r.Amount)
		}
	}
	add("all", "billable_messages", float64(c.Billable))
	add("all", "free_messages", float64(c.Free))
	if cur != "" {
		add("all", "cost_total_"+cur, c.Amount)
	}
}
