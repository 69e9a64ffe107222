package messenger

import (
	"net/http"

	"github.com/switchboard/switchboard/adapters/internal/metamsg"
	"github.com/switchboard/switchboard/bridge"
)

// ClassifyResponse turns a Graph answer with status >= 400 into a
// *bridge.DeliveryError (metamsg.Classify: code 10/2018278 outside the
// window, 551 unavailable, 4/17/32/613 rate limits, 190 token, 5xx
// transient).
func ClassifyResponse(status int, header http.Header, body []byte) *bridge.DeliveryError {
	return metamsg.Classify(status, header, body)
}
