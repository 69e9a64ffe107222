package configs

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/nyaruka/phonenumbers"

	"github.com/switchboard/switchboard/bridge"
)

// Pricing turns the billable messages Meta reports on status webhooks into
// money in /switchboard metrics, /metrics, digests and `switchboard report`
// (docs/metrics.md). Without it messages are counted, not priced.
type Pricing struct {
	// Currency is the ISO 4217 code of the rates ("USD"); required with
	// rates.
	Currency string `yaml:"currency"`
	// Rates is the price of one billable message per pricing category
	// (marketing, utility, authentication, …), from Meta's rate card for
	// the market most of your customers are in.
	Rates map[string]float64 `yaml:"rates"`
	// Countries overrides Rates for recipients in one country (ISO 3166
	// alpha-2: "BR"), category by category.
	Countries map[string]map[string]float64 `yaml:"countries"`
}

// PricingCategories are the categories a rate may name: the ones Meta's
// status webhooks carry.
var PricingCategories = bridge.PricingCategories

var currencyRE = regexp.MustCompile(`^[A-Z]{3}$`)

// validatePricing checks the rate table: a currency, known categories and
// non-negative rates, countries as ISO codes.
func (c *Config) validatePricing(d *decoder) {
	p := c.Pricing
	bad := func(path, format string, args ...any) { d.fail(d.lineOf(path), path, format, args...) }
	priced := len(p.Rates) > 0 || len(p.Countries) > 0
	switch {
	case p.Currency == "" && priced:
		bad("pricing.currency", "is required with rates: the ISO 4217 code of the amounts, e.g. \"USD\" (Meta bills in USD, EUR, INR, IDR or GBP)")
	case p.Currency != "" && !currencyRE.MatchString(p.Currency):
		bad("pricing.currency", "%s is not an ISO 4217 currency code; write three capital letters, e.g. \"USD\" or \"EUR\"", d.quote("pricing.currency", p.Currency))
	}
	checkRates := func(path string, rates map[string]float64) {
		for _, cat := range sortedKeys(rates) {
			v, at := rates[cat], path+"."+cat
			if !slices.Contains(PricingCategories, cat) {
				msg := fmt.Sprintf("%q is not a pricing category Meta reports; use one of %s", cat, strings.Join(PricingCategories, ", "))
				if s := suggest(cat, PricingCategories); s != "" {
					msg = fmt.Sprintf("%q is not a pricing category Meta reports; did you mean %q?", cat, s)
				}
				bad(at, "%s", msg)
				continue
			}
			if v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
				bad(at, "%v is not a price; a rate is the cost of one billable message, 0 or more (e.g. 0.0250)", v)
			}
		}
	}
	checkRates("pricing.rates", p.Rates)
	for _, country := range sortedKeys(p.Countries) {
		path := "pricing.countries." + country
		if !phonenumbers.GetSupportedRegions()[country] {
			hint := "write the ISO 3166 alpha-2 code in capitals, e.g. \"BR\""
			if up := strings.ToUpper(country); phonenumbers.GetSupportedRegions()[up] {
				hint = fmt.Sprintf("write it in capitals: %q", up)
			}
			bad(path, "%q is not a country; %s", country, hint)
			continue
		}
		checkRates(path, p.Countries[country])
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// pricingSummary is the check-config line of the rate table.
func (p Pricing) pricingSummary() string {
	if len(p.Rates) == 0 && len(p.Countries) == 0 {
		return "pricing: no rates (billable messages are counted, not priced)"
	}
	rates := func(m map[string]float64) string {
		var parts []string
		for _, k := range sortedKeys(m) {
			parts = append(parts, fmt.Sprintf("%s %g", k, m[k]))
		}
		return strings.Join(parts, ", ")
	}
	s := fmt.Sprintf("pricing: %s per billable message: %s", p.Currency, rates(p.Rates))
	for _, country := range sortedKeys(p.Countries) {
		s += fmt.Sprintf("; in %s: %s", country, rates(p.Countries[country]))
	}
	return s
}
