package whatsapptest

import (
	"fmt"
	"net/http"
)

// accountState is what `switchboard doctor` reads from the Graph API
// besides messages: the business phone numbers (GET /{phone-number-id})
// and the apps subscribed to each WhatsApp Business Account's webhooks
// (GET /{waba-id}/subscribed_apps). Guarded by Server.mu.
type accountState struct {
	phones     map[string]PhoneNumber // by phone_number_id
	subscribed map[string][]string    // WABA id → app names
}

// PhoneNumber is a business number as GET /{phone-number-id} describes it.
type PhoneNumber struct {
	ID                 string
	DisplayPhoneNumber string // "+1 555-0100"
	VerifiedName       string
	QualityRating      string // GREEN, YELLOW, RED or UNKNOWN; "" means GREEN
}

// AddPhoneNumber makes GET /{version}/{id} answer with the number, as it
// does for a number of the token's WhatsApp Business Account. Other ids
// answer Graph's error 100, subcode 33 (no such object), unless they are
// media.
func (s *Server) AddPhoneNumber(p PhoneNumber) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.account.phones == nil {
		s.account.phones = map[string]PhoneNumber{}
	}
	s.account.phones[p.ID] = p
}

// SubscribeApp subscribes an app to the webhooks of WABA waba, as
// POST /{waba-id}/subscribed_apps does; a WABA with none answers an empty
// list.
func (s *Server) SubscribeApp(waba, appName string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.account.subscribed == nil {
		s.account.subscribed = map[string][]string{}
	}
	s.account.subscribed[waba] = append(s.account.subscribed[waba], appName)
}

// servePhoneNumber answers GET /{version}/{id} for a known phone number id
// and reports whether it did (the route is shared with media ids).
func (s *Server) servePhoneNumber(w http.ResponseWriter, id string) bool {
	s.mu.Lock()
	p, ok := s.account.phones[id]
	s.mu.Unlock()
	if !ok {
		return false
	}
	quality := p.QualityRating
	if quality == "" {
		quality = "GREEN"
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"id": p.ID, "display_phone_number": p.DisplayPhoneNumber, "verified_name": p.VerifiedName,
		"quality_rating": quality, "code_verification_status": "VERIFIED", "platform_type": "CLOUD_API",
	})
	return true
}

// handleSubscribedApps answers GET /{version}/{waba}/subscribed_apps:
// {"data":[{"whatsapp_business_api_data":{"id","link","name"}}]}.
func (s *Server) handleSubscribedApps(w http.ResponseWriter, r *http.Request) {
	if !s.guard(w, r) {
		return
	}
	s.mu.Lock()
	names := append([]string(nil), s.account.subscribed[r.PathValue("waba")]...)
	s.mu.Unlock()
	data := []any{}
	for i, name := range names {
		id := fmt.Sprintf("1000000000000%02d", i+1)
		data = append(data, map[string]any{"whatsapp_business_api_data": map[string]any{
			"id": id, "link": "https://www.facebook.com/games/?app_id=" + id, "name": name}})
	}
	writeJSON(w, http.StatusOK, map[string]any{"data": data})
}
