package doctor

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/switchboard/switchboard/adapters/whatsapp"
)

const docPublicURL = "docs/doctor.md#public-url"

// publicURL tells whether Meta and Slack can reach this server: a hint,
// never a failure, since the doctor may run where the public address does
// not resolve (a CI runner, inside the cluster).
func (c *checker) publicURL(ctx context.Context) {
	raw := c.cfg.Server.PublicURL
	if raw == "" {
		c.hint("public url", "server.public_url", "not set",
			"set it (SWITCHBOARD_PUBLIC_URL) to the https address Meta and Slack reach this server at; check-config then prints the callback URLs", docPublicURL)
		return
	}
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "https" {
		c.hint("public url", raw, "not https: Meta and Slack call only https URLs",
			"serve switchboard behind a TLS reverse proxy and set server.public_url to its https address", docPublicURL)
		return
	}
	// The proxy of docs/deploy.md forwards only the platforms' paths and
	// answers 404 elsewhere, so the probe is a path Meta calls: a GET of
	// the webhook without Meta's hub.* parameters, which switchboard
	// refuses in its own recognisable way (403 "verification failed") and
	// which changes nothing.
	probe := strings.TrimRight(raw, "/") + whatsapp.WebhookPath
	status, body, err := c.get(ctx, probe)
	switch {
	case err != nil:
		c.hint("public url", probe, fmt.Sprintf("does not answer from here: %v", err),
			"make sure the TLS proxy runs and the DNS name is right (a hint: this host may not see the public address)", docPublicURL)
	case status == http.StatusForbidden && strings.HasPrefix(body, "verification failed"):
		c.ok("public url", probe, "reaches switchboard over https")
	case status == http.StatusNotFound:
		c.hint("public url", probe, "HTTP 404: the proxy does not forward "+whatsapp.WebhookPath+" to switchboard",
			"forward the four platform paths to server.listen as in the guide's Caddy or nginx configuration", docProxy)
	case status == http.StatusBadGateway || status == http.StatusServiceUnavailable || status == http.StatusGatewayTimeout:
		c.hint("public url", probe, fmt.Sprintf("HTTP %d: the proxy answers but switchboard behind it does not", status),
			"make sure switchboard runs and the proxy's upstream is its server.listen address", docProxy)
	default:
		c.hint("public url", probe, fmt.Sprintf("HTTP %d: not switchboard's answer (a GET without Meta's parameters is refused with 403)", status),
			"make sure server.public_url is this switchboard's address and the proxy forwards "+whatsapp.WebhookPath+" to server.listen unchanged", docProxy)
	}
}

// docProxy is the guide's section on the TLS proxy.
const docProxy = "docs/deploy.md#tls-a-reverse-proxy"

// get answers a GET's status and the start of its body, bounded by the
// check's timeout.
func (c *checker) get(ctx context.Context, url string) (status int, body string, err error) {
	cctx, cancel := c.bounded(ctx)
	defer cancel()
	req, err := http.NewRequestWithContext(cctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, "", err
	}
	resp, err := c.opts.HTTPClient.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<10))
	return resp.StatusCode, string(b), nil
}
