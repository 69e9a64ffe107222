// Package instagram is the Instagram Direct customer channel (issue 12):
// Instagram messaging webhooks (object "instagram") in, the Send API out,
// for accounts connected either with the Instagram API with Instagram
// Login (graph.instagram.com, an Instagram user access token) or through
// the Facebook Page they are linked to (the Messenger API for Instagram:
// graph.facebook.com, the Page's token). docs/setup-instagram.md explains
// both. The file names follow adapters/whatsapp.
package instagram

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
	// DefaultBaseURL is Instagram Login's API host.
	DefaultBaseURL = "https://graph.instagram.com"
	// DefaultPageBaseURL is the Graph API host of accounts sending through
	// their Facebook Page.
	DefaultPageBaseURL = "https://graph.facebook.com"
	DefaultAPIVersion  = "v23.0"
	DefaultTimeout     = 30 * time.Second
)

// maxErrorBody bounds how much of an error answer we read.
const maxErrorBody = 64 << 10

// Account is one Instagram professional account the Client sends for.
type Account struct {
	// ID is the Instagram professional account id (the inbox id).
	ID string
	// AccessToken is the Instagram user access token, or the Page's token
	// when PageID is set. Never logged or put in errors.
	AccessToken string
	// PageID, when set, sends through that Facebook Page
	// (POST {PageBaseURL}/{version}/{PageID}/messages); otherwise
	// Instagram Login (POST {BaseURL}/{version}/{ID}/messages).
	PageID string
}

// Client calls Instagram's Send API for one or more accounts. A Client is
// safe for concurrent use once built.
type Client struct {
	// BaseURL is Instagram Login's API root without the version; tests
	// point it (and PageBaseURL) at instagramtest.Server.URL.
	BaseURL     string
	PageBaseURL string
	APIVersion  string
	HTTPClient  *http.Client
	accounts    map[bridge.InboxID]Account
}

var (
	_ bridge.CustomerChannel = (*Client)(nil)
	_ bridge.ProfileReader   = (*Client)(nil)
)

// NewClient returns a Client for accounts with the defaults filled in.
func NewClient(accounts ...Account) *Client {
	c := &Client{BaseURL: DefaultBaseURL, PageBaseURL: DefaultPageBaseURL, APIVersion: DefaultAPIVersion,
		HTTPClient: &http.Client{Timeout: DefaultTimeout}, accounts: map[bridge.InboxID]Account{}}
	for _, a := range accounts {
		c.accounts[bridge.InboxID(a.ID)] = a
	}
	return c
}

// account is the account that sends for inbox.
func (c *Client) account(inbox bridge.InboxID) (Account, error) {
	a, ok := c.accounts[inbox]
	if !ok {
		return Account{}, &bridge.DeliveryError{Permanent: true, Reason: bridge.ReasonInvalidRequest, Code: "no_account",
			Err: fmt.Errorf("instagram: no account %q is configured (instagram.inboxes[].account_id)", inbox)}
	}
	return a, nil
}

func (c *Client) httpClient() *http.Client {
	if c.HTTPClient == nil {
		return &http.Client{Timeout: DefaultTimeout}
	}
	if c.HTTPClient.Timeout == 0 {
		hc := *c.HTTPClient
		hc.Timeout = DefaultTimeout
		return &hc
	}
	return c.HTTPClient
}

// endpoint builds {root}/{version}/{segments…} for a's connection mode,
// escaping each segment so an id can never change the path.
func (c *Client) endpoint(a Account, segments ...string) string {
	root, def := c.BaseURL, DefaultBaseURL
	if a.PageID != "" {
		root, def = c.PageBaseURL, DefaultPageBaseURL
	}
	root = strings.TrimRight(root, "/")
	if root == "" {
		root = def
	}
	ver := c.APIVersion
	if ver == "" {
		ver = DefaultAPIVersion
	}
	parts := []string{root, url.PathEscape(ver)}
	for _, s := range segments {
		parts = append(parts, url.PathEscape(s))
	}
	return strings.Join(parts, "/")
}

// messagesEndpoint is where a's sends go: /{IG_ID}/messages with
// Instagram Login, /{PAGE_ID}/messages through the Page.
func (c *Client) messagesEndpoint(a Account) string {
	if a.PageID != "" {
		return c.endpoint(a, a.PageID, "messages")
	}
	return c.endpoint(a, a.ID, "messages")
}

// do sends req with a's token as Bearer (both hosts accept it; a token in
// the query string would end up in proxies' logs) and decodes a 2xx JSON
// answer into out.
func (c *Client) do(req *http.Request, a Account, out any) error {
	req.Header.Set("Authorization", "Bearer "+a.AccessToken)
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
	if err := json.NewDecoder(io.LimitReader(resp.Body, maxErrorBody)).Decode(out); err != nil {
		return &bridge.DeliveryError{Reason: bridge.ReasonTemporary, Code: "bad_response",
			Err: fmt.Errorf("decode instagram answer: %w", err)}
	}
	return nil
}

func (c *Client) postJSON(ctx context.Context, a Account, endpoint string, body, out any) error {
	b, err := json.Marshal(body)
	if err != nil {
		return &bridge.DeliveryError{Permanent: true, Reason: bridge.ReasonInvalidRequest, Code: "encode", Err: err}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(b))
	if err != nil {
		return &bridge.DeliveryError{Permanent: true, Reason: bridge.ReasonInvalidRequest, Code: "request", Err: err}
	}
	req.Header.Set("Content-Type", "application/json")
	return c.do(req, a, out)
}
