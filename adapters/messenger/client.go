// Package messenger is the Facebook Messenger customer channel: the Page
// webhook (webhook.go), the Send API client (client.go, send.go, media.go,
// interactive.go) and the user profile read (profile.go). What Messenger
// shares with Instagram Direct (payload shapes, Send API bodies, Graph
// errors, the signature check) lives in adapters/internal/metamsg.
//
// An inbox is one Facebook Page: its InboxID is the Page id and every call
// for it uses that Page's access token. A customer is named by the
// page-scoped id (PSID) Meta gives them.
package messenger

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

	"github.com/switchboard/switchboard/adapters/internal/metamsg"
	"github.com/switchboard/switchboard/bridge"
)

// Defaults used when the Client's fields are left empty.
const (
	DefaultBaseURL    = "https://graph.facebook.com"
	DefaultAPIVersion = "v23.0"
	DefaultTimeout    = 30 * time.Second
)

// maxErrorBody bounds how much of an error answer is read.
const maxErrorBody = 64 << 10

// Client calls the Messenger Platform (Graph API) for several Pages. It is
// safe for concurrent use.
type Client struct {
	// BaseURL is the Graph API root without the version; tests point it at
	// messengertest.Server.URL.
	BaseURL    string
	APIVersion string
	// Tokens are the Page access tokens by Page id (InboxID). They are sent
	// as a Bearer header, never in the URL, so a transport error (which
	// quotes the URL) cannot leak one into a log.
	Tokens     map[bridge.InboxID]string
	HTTPClient *http.Client
}

var (
	_ bridge.CustomerChannel        = (*Client)(nil)
	_ bridge.ProfileReader          = (*Client)(nil)
	_ bridge.LimitedMediaDownloader = (*Client)(nil)
	_ bridge.InteractiveSender      = (*Client)(nil)
)

var defaultHTTPClient = &http.Client{Timeout: DefaultTimeout}

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

// endpoint builds {BaseURL}/{version}/{segments…}, escaping each segment.
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

// token is inbox's Page access token; a Page the configuration does not
// list cannot be sent for (permanent: retrying will not add it).
func (c *Client) token(inbox bridge.InboxID) (string, error) {
	if t := c.Tokens[inbox]; t != "" {
		return t, nil
	}
	return "", &bridge.DeliveryError{Permanent: true, Reason: bridge.ReasonInvalidRequest, Code: "no_page_token",
		Err: fmt.Errorf("messenger: no access token for page %q; add it under messenger.inboxes", inbox)}
}

// do sends req for inbox and decodes a 2xx JSON answer into out.
func (c *Client) do(inbox bridge.InboxID, req *http.Request, out any) error {
	tok, err := c.token(inbox)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := c.httpClient().Do(req)
	if err != nil {
		return metamsg.ClassifyTransport(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 400 {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
		return metamsg.Classify(resp.StatusCode, resp.Header, body)
	}
	if out == nil {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxErrorBody))
		return nil
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		return &bridge.DeliveryError{Reason: bridge.ReasonTemporary, Code: "bad_response",
			Err: fmt.Errorf("decode graph api answer: %w", err)}
	}
	return nil
}

func (c *Client) get(ctx context.Context, inbox bridge.InboxID, endpoint string, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, endpoint, nil)
	if err != nil {
		return &bridge.DeliveryError{Permanent: true, Reason: bridge.ReasonInvalidRequest, Code: "request", Err: err}
	}
	return c.do(inbox, req, out)
}

// post sends one Send API body for inbox (POST /{page-id}/messages).
func (c *Client) post(ctx context.Context, inbox bridge.InboxID, body metamsg.SendRequest) (metamsg.SendResponse, error) {
	var out metamsg.SendResponse
	if inbox == "" {
		return out, &bridge.DeliveryError{Permanent: true, Reason: bridge.ReasonInvalidRequest, Code: "no_inbox",
			Err: fmt.Errorf("send messenger message: empty page id")}
	}
	b, err := json.Marshal(body)
	if err != nil {
		return out, &bridge.DeliveryError{Permanent: true, Reason: bridge.ReasonInvalidRequest, Code: "encode", Err: err}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.endpoint(string(inbox), "messages"), bytes.NewReader(b))
	if err != nil {
		return out, &bridge.DeliveryError{Permanent: true, Reason: bridge.ReasonInvalidRequest, Code: "request", Err: err}
	}
	req.Header.Set("Content-Type", "application/json")
	err = c.do(inbox, req, &out)
	return out, err
}

// sendMessage posts a message body and returns its mid.
func (c *Client) sendMessage(ctx context.Context, inbox bridge.InboxID, body metamsg.SendRequest) (string, error) {
	out, err := c.post(ctx, inbox, body)
	if err != nil {
		return "", err
	}
	if out.MessageID == "" {
		return "", &bridge.DeliveryError{Reason: bridge.ReasonTemporary, Code: "bad_response",
			Err: fmt.Errorf("send api answered without a message_id")}
	}
	return out.MessageID, nil
}
