package metamsg

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/switchboard/switchboard/bridge"
)

// GraphError is the Graph API's error object,
// {"error":{message,type,code,error_subcode,fbtrace_id,is_transient}}; it
// is the Err inside the *bridge.DeliveryError the clients return.
type GraphError struct {
	HTTPStatus  int    `json:"-"`
	Message     string `json:"message"`
	Type        string `json:"type"`
	Code        int    `json:"code"`
	Subcode     int    `json:"error_subcode"`
	FBTraceID   string `json:"fbtrace_id"`
	IsTransient bool   `json:"is_transient"`
}

func (e *GraphError) Error() string {
	msg := fmt.Sprintf("graph api: HTTP %d: code %d", e.HTTPStatus, e.Code)
	if e.Subcode != 0 {
		msg += fmt.Sprintf("/%d", e.Subcode)
	}
	if e.Message != "" {
		msg += ": " + e.Message
	}
	if e.FBTraceID != "" {
		msg += " [fbtrace_id " + e.FBTraceID + "]"
	}
	return msg
}

// Messenger Platform error codes switchboard acts on
// (https://developers.facebook.com/docs/messenger-platform/error-codes).
const (
	SubcodeOutsideWindow = 2018278 // code 10: sent outside the allowed window
	// Rate limits: 4 app, 17 user, 32 page, 613 calls within the hour.
	rateLimitWait = time.Minute
)

// ReasonFor maps a Graph error (code, subcode) to a domain reason and
// whether retrying cannot help. HTTP 5xx and is_transient override it in
// Classify.
func ReasonFor(code, subcode int) (bridge.FailureReason, bool) {
	switch {
	case code == 10 && subcode == SubcodeOutsideWindow:
		return bridge.ReasonOutsideWindow, true
	case code == 4 || code == 17 || code == 32 || code == 613:
		return bridge.ReasonRateLimited, false
	case code == 1 || code == 2 || code == 1200:
		return bridge.ReasonTemporary, false
	case code == 551:
		return bridge.ReasonUndeliverable, true
	case code == 190:
		return bridge.ReasonTokenExpired, true
	case code == 10 || code == 200 || code == 230 || code == 368:
		return bridge.ReasonPolicy, true
	case code == 100:
		return bridge.ReasonInvalidRequest, true
	}
	return bridge.ReasonUnknown, true
}

// Classify turns a Graph answer with status >= 400 into a
// *bridge.DeliveryError. A body that is not a Graph error (a proxy's page)
// is classified by its status alone.
func Classify(status int, header http.Header, body []byte) *bridge.DeliveryError {
	var wrapper struct {
		Error *GraphError `json:"error"`
	}
	if json.Unmarshal(body, &wrapper) != nil || wrapper.Error == nil {
		return classifyStatus(status, header, body)
	}
	ge := wrapper.Error
	ge.HTTPStatus = status
	reason, permanent := ReasonFor(ge.Code, ge.Subcode)
	de := &bridge.DeliveryError{Permanent: permanent, Reason: reason, Code: strconv.Itoa(ge.Code), Err: ge}
	if ge.Subcode != 0 {
		de.Code += "/" + strconv.Itoa(ge.Subcode)
	}
	if ge.Code == 190 {
		de.Err = fmt.Errorf("the Page access token is invalid or expired; generate a new one and update the configuration: %w", ge)
	}
	switch {
	case status == http.StatusTooManyRequests:
		de.Permanent, de.Reason = false, bridge.ReasonRateLimited
	case status >= 500 || ge.IsTransient:
		de.Permanent = false
		if reason != bridge.ReasonRateLimited {
			de.Reason = bridge.ReasonTemporary
		}
	}
	de.RetryAfter = RetryAfter(header, time.Now())
	if de.RetryAfter == 0 && de.Reason == bridge.ReasonRateLimited {
		de.RetryAfter = rateLimitWait
	}
	return de
}

func classifyStatus(status int, header http.Header, body []byte) *bridge.DeliveryError {
	snippet := string(body)
	if len(snippet) > 200 {
		snippet = snippet[:200] + "…"
	}
	de := &bridge.DeliveryError{Code: "http_" + strconv.Itoa(status), Err: fmt.Errorf("graph api: HTTP %d: %s", status, snippet)}
	switch {
	case status == http.StatusTooManyRequests:
		de.Reason, de.RetryAfter = bridge.ReasonRateLimited, RetryAfter(header, time.Now())
	case status >= 500:
		de.Reason, de.RetryAfter = bridge.ReasonTemporary, RetryAfter(header, time.Now())
	case status == http.StatusUnauthorized:
		de.Permanent, de.Reason = true, bridge.ReasonTokenExpired
	default:
		de.Permanent, de.Reason = true, bridge.ReasonInvalidRequest
	}
	return de
}

// ClassifyTransport wraps an http.Client.Do error (timeout, reset) as a
// transient delivery error; a cancelled context is returned as is.
func ClassifyTransport(err error) error {
	if errors.Is(err, context.Canceled) {
		return err
	}
	code := "network"
	var ne net.Error
	if errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()) {
		code = "timeout"
	}
	return &bridge.DeliveryError{Reason: bridge.ReasonTemporary, Code: code, Err: err}
}

// RetryAfter reads Retry-After in seconds or as an HTTP date (capped at a
// day so a garbage header cannot overflow).
func RetryAfter(h http.Header, now time.Time) time.Duration {
	v := h.Get("Retry-After")
	if v == "" {
		return 0
	}
	if secs, err := strconv.Atoi(v); err == nil {
		if secs < 0 {
			return 0
		}
		return time.Duration(min(secs, 24*3600)) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}
