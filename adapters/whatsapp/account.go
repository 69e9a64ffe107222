package whatsapp

import (
	"context"
	"fmt"
	"net/http"
)

// PhoneNumber is a business number as GET /{phone-number-id} describes it.
type PhoneNumber struct {
	ID                 string `json:"id"`
	DisplayPhoneNumber string `json:"display_phone_number"`
	VerifiedName       string `json:"verified_name"`
	QualityRating      string `json:"quality_rating"`
}

// SubscribedApp is one app receiving a WhatsApp Business Account's
// webhooks (GET /{waba-id}/subscribed_apps).
type SubscribedApp struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// PhoneNumber reads a business number: it answers only when the token may
// use that number, so `switchboard doctor` checks token and id with it.
// Failures are *bridge.DeliveryError wrapping a *GraphError, as for sends.
func (c *Client) PhoneNumber(ctx context.Context, phoneNumberID string) (PhoneNumber, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet,
		c.endpoint(phoneNumberID)+"?fields=id,display_phone_number,verified_name,quality_rating", nil)
	if err != nil {
		return PhoneNumber{}, fmt.Errorf("read phone number: %w", err)
	}
	var out PhoneNumber
	if err := c.do(req, &out); err != nil {
		return PhoneNumber{}, err
	}
	return out, nil
}

// SubscribedApps lists the apps subscribed to the webhooks of a WhatsApp
// Business Account. Empty means Meta delivers that account's messages to
// no app at all, whatever the app's webhook settings say.
func (c *Client) SubscribedApps(ctx context.Context, account string) ([]SubscribedApp, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.endpoint(account, "subscribed_apps"), nil)
	if err != nil {
		return nil, fmt.Errorf("read subscribed apps: %w", err)
	}
	var out struct {
		Data []struct {
			App SubscribedApp `json:"whatsapp_business_api_data"`
		} `json:"data"`
	}
	if err := c.do(req, &out); err != nil {
		return nil, err
	}
	apps := make([]SubscribedApp, 0, len(out.Data))
	for _, d := range out.Data {
		apps = append(apps, d.App)
	}
	return apps, nil
}
