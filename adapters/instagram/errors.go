package instagram

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

// GraphError is the error object both hosts return with HTTP >= 400:
// {"error":{message,type,code,error_subcode,fbtrace_id,is_transient}}
// (type "IGApiException" on graph.instagram.com, "OAuthException" on
// graph.facebook.com). It is the Err inside the *bridge.DeliveryError.
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
	msg := fmt.Sprintf("instagram api: HTTP %d: code %d", e.HTTPStatus, e.Code)
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

// Instagram's error codes that change what we do.
const (
	// CodePermission with SubcodeOutsideWindow is "This message is sent
	// outside of allowed window." (HTTP 403, seen in the wild in
	// github.com/ComposioHQ/composio/issues/3604); code 10 alone is a
	// missing permission.
	CodePermission       = 10
	SubcodeOutsideWindow = 2534022
	// CodeUnavailable is "This person isn't available right now" (the
	// user blocked the account, deleted theirs or restricts messages).
	CodeUnavailable = 551
	// SubcodeNoUser with code 100 is "No matching user found".
	SubcodeNoUser = 2018001
)

// ReasonFor maps a Graph error to a domain reason and whether retrying
// cannot help. Unknown 4xx codes are permanent; HTTP 5xx and
// is_transient override this in ClassifyResponse.
func ReasonFor(code, subcode int) (reason bridge.FailureReason, permanent bool) {
	switch {
	case code == CodePermission && subcode == SubcodeOutsideWindow:
		return bridge.ReasonOutsideWindow, true
	case code == CodeUnavailable, code == 100 && subcode == SubcodeNoUser:
		return bridge.ReasonUndeliverable, true
	case code == 4, code == 17, code == 32, code == 613:
		return bridge.ReasonRateLimited, false
	case code == 1, code == 2:
		return bridge.ReasonTemporary, false
	case code == 190:
		return bridge.ReasonTokenExpired, true
	case code == 368:
		return bridge.ReasonPolicy, true
	case code == CodePermission, code == 200, code == 100:
		return bridge.ReasonInvalidRequest, true
	}
	return bridge.ReasonUnknown, true
}

// ClassifyResponse turns an answer with status >= 400 into a
// *bridge.DeliveryError. body may be empty or not JSON (a proxy's page).
func ClassifyResponse(status int, header http.Header, body []byte) *bridge.DeliveryError {
	var wrapper struct {
		Error *GraphError `json:"error"`
	}
	if json.Unmarshal(body, &wrapper) != nil || wrapper.Error == nil {
		return classifyStatusOnly(status, header, body)
	}
	ge := wrapper.Error
	ge.HTTPStatus = status
	reason, permanent := ReasonFor(ge.Code, ge.Subcode)
	de := &bridge.DeliveryError{Permanent: permanent, Reason: reason, Code: strconv.Itoa(ge.Code), Err: ge}
	if ge.Subcode != 0 {
		de.Code += "/" + strconv.Itoa(ge.Subcode)
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
	de.RetryAfter = retryAfter(header, time.Now())
	return de
}

func classifyStatusOnly(status int, header http.Header, body []byte) *bridge.DeliveryError {
	snippet := string(body)
	if len(snippet) > 200 {
		snippet = snippet[:200] + "…"
	}
	de := &bridge.DeliveryError{Code: "http_" + strconv.Itoa(status), Err: fmt.Errorf("instagram api: HTTP %d: %s", status, snippet)}
	switch {
	case status == http.StatusTooManyRequests:
		de.Reason = bridge.ReasonRateLimited
		de.RetryAfter = retryAfter(header, time.Now())
	case status >= 500:
		de.Reason = bridge.ReasonTemporary
		de.RetryAfter = retryAfter(header, time.Now())
	case status == http.StatusUnauthorized:
		de.Permanent, de.Reason = true, bridge.ReasonTokenExpired
	default:
		de.Permanent, de.Reason = true, bridge.ReasonInvalidRequest
	}
	return de
}

// ClassifyTransportError wraps an error from http.Client.Do as a transient
// delivery error; a cancelled caller context is returned as is.
func ClassifyTransportError(err error) error {
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

// retryAfter reads a Retry-After header in seconds or as an HTTP date.
func retryAfter(h http.Header, now time.Time) time.Duration {
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
