package whatsapptest

import "time"

// Pricing builds the pricing object Meta puts on statuses under
// per-message pricing (PMP, since July 2025): billable (deprecated, still
// sent) is true for a "regular" (charged) type.
func Pricing(category, typ string) map[string]any {
	return map[string]any{"billable": typ == "regular", "pricing_model": "PMP", "category": category, "type": typ}
}

// PricedStatusUpdate is StatusUpdate for a message to recipient with a
// pricing object (Pricing), as Meta sends on sent, delivered and read.
func PricedStatusUpdate(phoneNumberID, wamid, status, recipient string, ts time.Time, pricing map[string]any) []byte {
	st := Status(wamid, status, recipient, ts, 0)
	st["pricing"] = pricing
	return Envelope(Value{PhoneNumberID: phoneNumberID, Statuses: []map[string]any{st}})
}
