package doctor

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
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
	cctx, cancel := c.bounded(ctx)
	defer cancel()
	healthz := strings.TrimRight(raw, "/") + "/healthz"
	req, err := http.NewRequestWithContext(cctx, http.MethodGet, healthz, nil)
	if err == nil {
		var resp *http.Response
		resp, err = c.opts.HTTPClient.Do(req)
		if err == nil {
			_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<10))
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				err = fmt.Errorf("HTTP %d", resp.StatusCode)
			}
		}
	}
	if err != nil {
		c.hint("public url", healthz, fmt.Sprintf("does not answer from here: %v", err),
			"make sure switchboard runs and the proxy forwards this address to server.listen (a hint: this host may not see the public address)", docPublicURL)
		return
	}
	c.ok("public url", healthz, "answers over https")
}
