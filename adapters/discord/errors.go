package discord

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/bwmarrin/discordgo"

	"github.com/switchboard/switchboard/bridge"
)

// Discord JSON error codes we classify.
// https://discord.com/developers/docs/topics/opcodes-and-status-codes#json
const (
	codeUnknownChannel     = 10003
	codeUnknownMember      = 10007
	codeUnknownMessage     = 10008
	codeUnknownEmoji       = 10014
	codeMissingAccess      = 50001
	codeCannotSendEmpty    = 50006
	codeNonTextChannel     = 50008
	codeMissingPermissions = 50013
	codeInvalidFormBody    = 50035
	codeThreadArchived     = 50083
	codeThreadLocked       = 160005
	codeFileTooLarge       = 40005
)

// deliveryError classifies a discordgo error as a *bridge.DeliveryError so
// delivery jobs know whether to snooze (RetryAfter), retry with backoff
// (transient) or stop (Permanent). op names the failed call.
func deliveryError(op string, err error) error {
	if err == nil {
		return nil
	}
	de := &bridge.DeliveryError{Reason: bridge.ReasonTemporary, Err: fmt.Errorf("discord %s: %w", op, err)}

	var rl *discordgo.RateLimitError
	var rlv discordgo.RateLimitError
	var re *discordgo.RESTError
	switch {
	case errors.As(err, &rl) && rl.RateLimit != nil:
		rateLimited(de, rl.RateLimit)
	case errors.As(err, &rlv) && rlv.RateLimit != nil:
		rateLimited(de, rlv.RateLimit)
	case errors.As(err, &re) && re.Response != nil:
		status := re.Response.StatusCode
		code := 0
		if re.Message != nil {
			code = re.Message.Code
		}
		de.Code = strconv.Itoa(status)
		if code != 0 {
			de.Code = strconv.Itoa(code)
		}
		switch {
		case status == http.StatusUnauthorized:
			de.Permanent, de.Reason = true, bridge.ReasonTokenExpired
		case status == http.StatusForbidden, code == codeUnknownChannel, code == codeNonTextChannel,
			code == codeThreadLocked, code == codeMissingAccess, code == codeMissingPermissions:
			de.Permanent, de.Reason = true, bridge.ReasonNotInChannel
		case status == http.StatusRequestEntityTooLarge, code == codeFileTooLarge:
			de.Permanent, de.Reason = true, bridge.ReasonMediaRejected
		case status == http.StatusNotFound:
			de.Permanent, de.Reason = true, bridge.ReasonInvalidRequest
			if code == 0 {
				de.Reason = bridge.ReasonNotInChannel
			}
		case status == http.StatusTooManyRequests:
			de.Reason = bridge.ReasonRateLimited
		case status >= 500:
			de.Reason = bridge.ReasonTemporary
		case status >= 400 && status != http.StatusRequestTimeout:
			de.Permanent, de.Reason = true, bridge.ReasonInvalidRequest
		}
	}
	// Anything else (network errors, timeouts, context deadlines, decode
	// errors) stays transient.
	return de
}

func rateLimited(de *bridge.DeliveryError, rl *discordgo.RateLimit) {
	de.Reason, de.Code = bridge.ReasonRateLimited, "429"
	if rl.TooManyRequests != nil {
		de.RetryAfter = rl.TooManyRequests.RetryAfter
	}
	if de.RetryAfter <= 0 {
		de.RetryAfter = 1e9 // a 429 without retry_after: wait a second
	}
}

// restCode returns Discord's JSON error code in err, or 0.
func restCode(err error) int {
	var re *discordgo.RESTError
	if errors.As(err, &re) && re.Message != nil {
		return re.Message.Code
	}
	return 0
}

// safeErr describes err for logs without the request URL: the URLs of
// interaction callbacks and follow-ups (/interactions/{id}/{token}/…,
// /webhooks/{app}/{token}) hold the interaction token, a secret, and a
// transport error (*url.Error) or a rate limit names its URL. It keeps the
// HTTP status and Discord code, or the kind of transport failure.
func safeErr(err error) string {
	var re *discordgo.RESTError
	var rl *discordgo.RateLimitError
	var rlv discordgo.RateLimitError
	var ue *url.Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &re) && re.Response != nil:
		return fmt.Sprintf("HTTP %d, code %d", re.Response.StatusCode, restCode(err))
	case errors.As(err, &rl) && rl.RateLimit != nil:
		return "rate limited, retry after " + rl.RetryAfter.String()
	case errors.As(err, &rlv) && rlv.RateLimit != nil:
		return "rate limited, retry after " + rlv.RetryAfter.String()
	case errors.As(err, &ue):
		return ue.Op + ": " + safeErr(ue.Err)
	}
	return err.Error()
}
