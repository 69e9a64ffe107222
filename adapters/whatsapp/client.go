package whatsapp

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/switchboard/switchboard/bridge"
)

// Defaults used when the Client's fields are left empty.
const (
	DefaultBaseURL    = "https://graph.facebook.com"
	DefaultAPIVersion = "v23.0"
	DefaultTimeout    = 30 * time.Second
)

// maxErrorBody bounds how much of an error answer we read; Graph errors are
// a few hundred bytes, a proxy's HTML page need not be read whole.
const maxErrorBody = 64 << 10

// maxMediaBytes is WhatsApp's largest attachment (documents, 100 MB) plus
// slack; a larger download is refused rather than held in memory.
const maxMediaBytes = 100<<20 + 1<<20

// Client calls the WhatsApp Cloud API (Graph API). The zero value of each
// field means its default, so tests set only BaseURL and AccessToken.
// A Client is safe for concurrent use.
type Client struct {
	// BaseURL is the Graph API root without the version; tests point it at
	// whatsapptest.Server.URL.
	BaseURL    string
	APIVersion string
	// AccessToken is the system-user token sent as Bearer on every call,
	// media downloads included. It is never logged or put in errors.
	AccessToken string
	HTTPClient  *http.Client
	// TemplatePageSize is how many templates ListTemplates asks for per
	// page (0: DefaultTemplatePageSize); tests lower it to see paging.
	TemplatePageSize int
}

var _ bridge.CustomerChannel = (*Client)(nil)

// NewClient returns a Client with the defaults filled in.
func NewClient(accessToken string) *Client {
	return &Client{
		BaseURL:     DefaultBaseURL,
		APIVersion:  DefaultAPIVersion,
		AccessToken: accessToken,
		HTTPClient:  &http.Client{Timeout: DefaultTimeout},
	}
}

// defaultHTTPClient serves Clients built as struct literals without one.
var defaultHTTPClient = &http.Client{Timeout: DefaultTimeout}

// httpClient is the client for every Graph call and media download; one
// given without a timeout gets DefaultTimeout, so a stalled connection
// cannot hold a delivery job forever.
func (c *Client) httpClient() *http.Client {
	if c.HTTPClient == nil {
		return defaultHTTPClient
	}
	if c.HTTPClient.Timeout == 0 {
		hc := *c.HTTPClient
		hc.Timeout = DefaultTimeout
		return &hc
	}
	return c.HTTPClient
}

// endpoint builds {BaseURL}/{version}/{segments…}, escaping each segment so
// an id can never change the path.
func (c *Client) endpoint(segments ...string) string {
	base := strings.TrimRight(c.BaseURL, "/")
	if base == "" {
		base = DefaultBaseURL
	}
	ver := c.APIVersion
	if ver == "" {
		ver = DefaultAPIVersion
	}
	parts := []string{base, url.PathEscape(ver)}
	for _, s := range segments {
		parts = append(parts, url.PathEscape(s))
	}
	return strings.Join(parts, "/")
}

// do sends req with the Bearer token and decodes a 2xx JSON answer into
// out. Failures come back as *bridge.DeliveryError (see errors.go).
func (c *Client) do(req *http.Request, out any) error {
	req.Header.Set("Authorization", "Bearer "+c.AccessToken)
	resp, err := c.httpClient().Do(req)
	if err != nil {
		return ClassifyTransportError(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 400 {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
		return ClassifyResponse(resp.StatusCode, resp.Header, body)
	}
	if out == nil {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxErrorBody))
		return nil
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		// A 2xx we cannot read: the message may have gone out, so retrying
		// risks a duplicate; still transient, as losing it is worse.
		return &bridge.DeliveryError{Reason: bridge.ReasonTemporary, Code: "bad_response",
			Err: fmt.Errorf("decode graph api answer: %w", err)}
	}
	return nil
}

func (c *Client) postJSON(ctx context.Context, endpoint string, body, out any) error {
	b, err := json.Marshal(body)
	if err != nil {
		return &bridge.DeliveryError{Permanent: true, Reason: bridge.ReasonInvalidRequest, Code: "encode", Err: err}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(b))
	if err != nil {
		return &bridge.DeliveryError{Permanent: true, Reason: bridge.ReasonInvalidRequest, Code: "request", Err: err}
	}
	req.Header.Set("Content-Type", "application/json")
	return c.do(req, out)
}

// sendResponse is the answer to POST /{phone-number-id}/messages.
type sendResponse struct {
	Messages []struct {
		ID string `json:"id"`
	} `json:"messages"`
}

// sendMessage posts one message object and returns its wamid.
func (c *Client) sendMessage(ctx context.Context, inbox bridge.InboxID, msg map[string]any) (string, error) {
	if inbox == "" {
		return "", &bridge.DeliveryError{Permanent: true, Reason: bridge.ReasonInvalidRequest, Code: "no_inbox",
			Err: fmt.Errorf("send whatsapp message: empty phone number id")}
	}
	msg["messaging_product"] = "whatsapp"
	addressTo(msg)
	var out sendResponse
	if err := c.postJSON(ctx, c.endpoint(string(inbox), "messages"), msg, &out); err != nil {
		return "", err
	}
	if len(out.Messages) == 0 || out.Messages[0].ID == "" {
		return "", &bridge.DeliveryError{Reason: bridge.ReasonTemporary, Code: "bad_response",
			Err: fmt.Errorf("graph api answered without a message id")}
	}
	return out.Messages[0].ID, nil
}

// addressTo moves a business-scoped user id from "to" to "recipient": Meta
// takes a phone number (wa_id) in "to" and a BSUID or parent BSUID in
// "recipient" ("to" wins when both are given, so only one is ever sent).
// A customer who shows only a username has no phone number: the BSUID is
// their address. Source:
// https://developers.facebook.com/documentation/business-messaging/whatsapp/business-scoped-user-ids/
// (cross-checked with dualhook.com/docs/contacts-bsuid-api-changes).
func addressTo(msg map[string]any) {
	to, _ := msg["to"].(string)
	if bridge.IsBSUID(to) {
		delete(msg, "to")
		msg["recipient"] = to
	}
}
