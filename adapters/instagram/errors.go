package instagram

import (
	"errors"
	"net/http"

	"github.com/switchboard/switchboard/adapters/internal/metamsg"
	"github.com/switchboard/switchboard/bridge"
)

// Instagram's own codes beside the Messenger Platform's (metamsg.ReasonFor).
const (
	// SubcodeOutsideWindow with code 10 is Instagram's "This message is
	// sent outside of allowed window." (HTTP 403, type IGApiException, as
	// reported from graph.instagram.com in
	// https://github.com/ComposioHQ/composio/issues/3604); Messenger uses
	// 2018278 for the same refusal.
	SubcodeOutsideWindow = 2534022
	// SubcodeNoUser with code 100 is "No matching user found": the IGSID
	// does not exist for this account.
	SubcodeNoUser = 2018001
)

// ClassifyResponse turns an answer with status >= 400 into a
// *bridge.DeliveryError: the Messenger Platform's rules (metamsg.Classify)
// plus Instagram's window subcode.
func ClassifyResponse(status int, header http.Header, body []byte) *bridge.DeliveryError {
	de := metamsg.Classify(status, header, body)
	var ge *metamsg.GraphError
	if errors.As(de.Err, &ge) {
		switch {
		case ge.Code == 10 && ge.Subcode == SubcodeOutsideWindow:
			de.Permanent, de.Reason, de.RetryAfter = true, bridge.ReasonOutsideWindow, 0
		case ge.Code == 100 && ge.Subcode == SubcodeNoUser:
			de.Permanent, de.Reason = true, bridge.ReasonUndeliverable
		}
	}
	return de
}

// ClassifyTransportError wraps an error from http.Client.Do as a transient
// delivery error; a cancelled caller context is returned as is.
func ClassifyTransportError(err error) error { return metamsg.ClassifyTransport(err) }
