package slack

import (
	"errors"
	"fmt"
	"net/http"

	slackapi "github.com/slack-go/slack"

	"github.com/switchboard/switchboard/bridge"
)

// Slack error strings grouped by what the delivery job should do.
var (
	notInChannelErrors = map[string]bool{
		"channel_not_found": true, "not_in_channel": true, "is_archived": true,
		"user_not_in_channel": true, "restricted_action": true,
	}
	tokenErrors = map[string]bool{
		"invalid_auth": true, "not_authed": true, "token_revoked": true, "token_expired": true,
		"account_inactive": true, "missing_scope": true, "not_allowed_token_type": true, "no_permission": true,
	}
	invalidRequestErrors = map[string]bool{
		"msg_too_long": true, "invalid_blocks": true, "invalid_blocks_format": true, "no_text": true,
		"too_many_attachments": true, "invalid_arguments": true, "invalid_array_arg": true,
		"message_not_found": true, "cant_update_message": true, "edit_window_closed": true,
		"invalid_name": true, "bad_timestamp": true, "thread_not_found": true, "file_not_found": true,
		"too_many_reactions": true, "invalid_form_data": true,
	}
	transientErrors = map[string]bool{
		"internal_error": true, "fatal_error": true, "service_unavailable": true,
		"request_timeout": true, "ratelimited": true, "rate_limited": true,
	}
)

// deliveryError classifies a slack-go error as a *bridge.DeliveryError so
// delivery jobs know whether to snooze (RetryAfter), retry with backoff
// (transient) or stop (Permanent). op names the failed call for the log.
func deliveryError(op string, err error) error {
	if err == nil {
		return nil
	}
	de := &bridge.DeliveryError{Reason: bridge.ReasonTemporary, Err: fmt.Errorf("slack %s: %w", op, err)}

	var rl *slackapi.RateLimitedError
	var se slackapi.SlackErrorResponse
	var sc slackapi.StatusCodeError
	switch {
	case errors.As(err, &rl):
		de.Reason, de.Code, de.RetryAfter = bridge.ReasonRateLimited, "ratelimited", rl.RetryAfter
	case errors.As(err, &se):
		de.Code = se.Err
		switch {
		case notInChannelErrors[se.Err]:
			de.Permanent, de.Reason = true, bridge.ReasonNotInChannel
		case tokenErrors[se.Err]:
			de.Permanent, de.Reason = true, bridge.ReasonTokenExpired
		case invalidRequestErrors[se.Err]:
			de.Permanent, de.Reason = true, bridge.ReasonInvalidRequest
		case se.Err == "ratelimited" || se.Err == "rate_limited":
			de.Reason = bridge.ReasonRateLimited
		case transientErrors[se.Err]:
			de.Reason = bridge.ReasonTemporary
		default:
			// An error we have not classified: retrying with backoff is
			// the safe guess, and the job gives up after its attempts.
			de.Reason = bridge.ReasonUnknown
		}
	case errors.As(err, &sc):
		de.Code = fmt.Sprint(sc.Code)
		switch {
		case sc.Code == http.StatusTooManyRequests:
			de.Reason = bridge.ReasonRateLimited
		case sc.Code == http.StatusUnauthorized || sc.Code == http.StatusForbidden:
			de.Permanent, de.Reason = true, bridge.ReasonTokenExpired
		case sc.Code >= 400 && sc.Code < 500 && sc.Code != http.StatusRequestTimeout:
			de.Permanent, de.Reason = true, bridge.ReasonInvalidRequest
		}
	}
	// Anything else (network errors, timeouts, context deadlines) stays
	// transient.
	return de
}

// isSlackError reports whether err is the Slack error string code.
func isSlackError(err error, code string) bool {
	var se slackapi.SlackErrorResponse
	return errors.As(err, &se) && se.Err == code
}
