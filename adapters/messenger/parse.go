package messenger

import (
	"github.com/switchboard/switchboard/adapters/internal/metamsg"
	"github.com/switchboard/switchboard/bridge"
)

// Object is the webhook envelope's object for Page events.
const Object = "page"

// Parse turns a Page webhook body into what the bridge stores (see
// metamsg's contract for the mapping); appID, when set, marks echoes of our
// own app's sends, which are dropped.
func Parse(body []byte, appID string) (bridge.CustomerWebhook, []error, error) {
	return metamsg.Parse(body, metamsg.ParseOptions{Channel: bridge.ChannelMessenger, Object: Object, AppID: appID})
}
