package bridge

import (
	"context"
	"strings"
	"time"

	"github.com/nyaruka/phonenumbers"
)

// Pricing is the pricing object Meta puts on the status webhooks of a
// message we sent (statuses[].pricing): what the message costs. Meta
// moved from conversation-based pricing (CBP) to per-message pricing
// (PMP) on 1 July 2025; both shapes arrive.
type Pricing struct {
	// Billable is Meta's flag, deprecated with per-message pricing but
	// still sent; Type decides when it is set.
	Billable bool
	// Model is "CBP" (conversation-based) or "PMP" (per-message).
	Model string
	// Category is marketing, marketing_lite, utility, authentication,
	// authentication_international, service, referral_conversion or a
	// category Meta adds later (kept as sent).
	Category string
	// Type is, under PMP, "regular" (charged), "free_customer_service"
	// (a utility template inside the customer-service window) or
	// "free_entry_point" (inside a free entry-point window); "" under CBP.
	Type string
}

// PricingRegular is the pricing type of a charged message.
const PricingRegular = "regular"

// PricingCategories are the categories Meta's status webhooks name, in the
// order reports list them; the config's rate table may price each.
var PricingCategories = []string{"marketing", "marketing_lite", "utility", "authentication",
	"authentication_international", "service", "referral_conversion"}

// Charged reports whether Meta charges the message: under per-message
// pricing only a "regular" type is charged; without a type, Meta's
// billable flag says it.
func (p Pricing) Charged() bool {
	if p.Type != "" {
		return p.Type == PricingRegular
	}
	return p.Billable
}

// MessageCost is the pricing of one sent message as stored: the first
// status carrying a pricing object wins, later ones (and retries of the
// same webhook) change nothing.
type MessageCost struct {
	Inbox      InboxID
	ExternalID string // the wamid
	Pricing    Pricing
	// Country is the recipient's ISO 3166 region ("BR"), for rates that
	// differ per country; "" when the recipient is not a phone number
	// (a business-scoped user id). The number itself is not kept here.
	Country string
	At      time.Time
}

// storePricing records what Meta says a sent message costs, once per
// message, in the transaction that stores the receipt.
func storePricing(ctx context.Context, tx Tx, r DeliveryReceipt) error {
	if r.Pricing == nil || r.ExternalID == "" {
		return nil
	}
	_, err := tx.InsertMessageCost(ctx, MessageCost{Inbox: r.Inbox, ExternalID: r.ExternalID, Pricing: *r.Pricing,
		Country: regionOf(r.Recipient), At: r.At})
	return err
}

// regionOf is the country of a WhatsApp id (its digits in E.164), "" when
// it is not a phone number.
func regionOf(addr CustomerAddress) string {
	s := string(addr)
	if c := bsuidCountry(s); c != "" {
		return c // a BSUID starts with the customer's country
	}
	if s == "" || strings.ContainsFunc(s, func(r rune) bool { return r < '0' || r > '9' }) {
		return ""
	}
	num, err := phonenumbers.Parse("+"+s, "")
	if err != nil {
		return ""
	}
	region := phonenumbers.GetRegionCodeForNumber(num)
	if region == "ZZ" {
		return ""
	}
	return region
}
