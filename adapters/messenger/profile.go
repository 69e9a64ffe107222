package messenger

import (
	"context"
	"fmt"
	"strings"

	"github.com/switchboard/switchboard/bridge"
)

// CustomerName reads the customer's name with the User Profile API
// (GET /{PSID}?fields=first_name,last_name), since Messenger webhooks name
// senders only by PSID.
func (c *Client) CustomerName(ctx context.Context, inbox bridge.InboxID, address bridge.CustomerAddress) (string, error) {
	var p struct {
		Name      string `json:"name"`
		FirstName string `json:"first_name"`
		LastName  string `json:"last_name"`
	}
	if err := c.get(ctx, inbox, c.endpoint(string(address))+"?fields=first_name,last_name,name", &p); err != nil {
		return "", fmt.Errorf("read messenger profile: %w", err)
	}
	if p.Name != "" {
		return p.Name, nil
	}
	return strings.TrimSpace(p.FirstName + " " + p.LastName), nil
}
