package instagram

import (
	"context"
	"fmt"
	"io"
	"mime"
	"net/http"
	"path"
	"strings"

	"github.com/switchboard/switchboard/bridge"
)

// maxMediaBytes is Instagram's largest attachment (video and audio, 25 MB)
// plus slack; a larger download is refused rather than held in memory.
const maxMediaBytes = 25<<20 + 1<<20

// DownloadMedia fetches an attachment the customer sent. Instagram gives
// no media id, only a CDN URL (attachments[].payload.url), which parse.go
// stores as Media.ID. The URL is signed by itself: no token is sent with
// it, so a token can never leak to a CDN.
func (c *Client) DownloadMedia(ctx context.Context, mediaID string) (bridge.File, error) {
	if !strings.HasPrefix(mediaID, "https://") && !strings.HasPrefix(mediaID, "http://") {
		return bridge.File{}, &bridge.DeliveryError{Permanent: true, Reason: bridge.ReasonInvalidRequest, Code: "not_a_url",
			Err: fmt.Errorf("instagram media id is not a URL")}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, mediaID, nil)
	if err != nil {
		return bridge.File{}, &bridge.DeliveryError{Permanent: true, Reason: bridge.ReasonInvalidRequest, Code: "request", Err: err}
	}
	resp, err := c.httpClient().Do(req)
	if err != nil {
		return bridge.File{}, ClassifyTransportError(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 400 {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
		de := ClassifyResponse(resp.StatusCode, resp.Header, body)
		if resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusForbidden {
			// The CDN link expired (stories after 24 h): it will not come back.
			de.Permanent, de.Reason = true, bridge.ReasonMediaRejected
		}
		return bridge.File{}, de
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxMediaBytes+1))
	if err != nil {
		return bridge.File{}, ClassifyTransportError(err)
	}
	if len(data) > maxMediaBytes {
		return bridge.File{}, &bridge.DeliveryError{Permanent: true, Reason: bridge.ReasonMediaRejected, Code: "too_large",
			Err: fmt.Errorf("instagram attachment is over %d bytes", maxMediaBytes)}
	}
	mt := resp.Header.Get("Content-Type")
	if m, _, err := mime.ParseMediaType(mt); err == nil {
		mt = m
	}
	name := path.Base(req.URL.Path)
	if name == "/" || name == "." {
		name = "attachment"
	}
	return bridge.File{Name: name, MimeType: mt, Data: data}, nil
}

// profile is the answer to GET /{IGSID}?fields=name,username.
type profile struct {
	Name     string `json:"name"`
	Username string `json:"username"`
}

// CustomerName reads the customer's name (GET /{IGSID}?fields=name,username
// on the inbox's host), or "@username" when the profile has no name.
func (c *Client) CustomerName(ctx context.Context, inbox bridge.InboxID, address bridge.CustomerAddress) (string, error) {
	a, err := c.account(inbox)
	if err != nil {
		return "", err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.endpoint(a, string(address))+"?fields=name,username", nil)
	if err != nil {
		return "", fmt.Errorf("instagram profile request: %w", err)
	}
	var p profile
	if err := c.do(req, a, &p); err != nil {
		return "", fmt.Errorf("read instagram profile: %w", err)
	}
	if p.Name != "" {
		return p.Name, nil
	}
	if p.Username != "" {
		return "@" + p.Username, nil
	}
	return "", nil
}
