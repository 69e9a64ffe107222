package whatsapp

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

// GraphError is the error object the Graph API returns with HTTP >= 400:
// {"error":{message,type,code,error_subcode,error_data{details},fbtrace_id,is_transient}}.
// It is the Err inside the *bridge.DeliveryError the Client returns.
type GraphError struct {
	HTTPStatus  int    `json:"-"`
	Message     string `json:"message"`
	Type        string `json:"type"`
	Code        int    `json:"code"`
	Subcode     int    `json:"error_subcode"`
	FBTraceID   string `json:"fbtrace_id"`
	IsTransient bool   `json:"is_transient"`
	ErrorData   struct {
		Details string `json:"details"`
	} `json:"error_data"`
}

func (e *GraphError) Error() string {
	msg := fmt.Sprintf("graph api: HTTP %d: code %d", e.HTTPStatus, e.Code)
	if e.Subcode != 0 {
		msg += fmt.Sprintf("/%d", e.Subcode)
	}
	if e.Message != "" {
		msg += ": " + e.Message
	}
	if e.ErrorData.Details != "" {
		msg += " (" + e.ErrorData.Details + ")"
	}
	if e.FBTraceID != "" {
		msg += " [fbtrace_id " + e.FBTraceID + "]"
	}
	return msg
}

// Default waits for codes that ask us to slow down without a Retry-After
// header: a pair rate limit allows about one message per 6 s to the same
// customer, and Meta suggests retrying maintenance after about a minute.
const (
	pairRateLimitWait = 6 * time.Second
	maintenanceWait   = time.Minute
)

// ReasonForCode maps a WhatsApp error code (from a Graph API error or a
// failed status's errors[]) to a domain reason and whether retrying cannot
// help. Codes not in the table are permanent with ReasonUnknown: an unknown
// 4xx is almost always a request the platform will keep refusing; HTTP 5xx
// and is_transient override this in ClassifyResponse.
func ReasonForCode(code int) (reason bridge.FailureReason, permanent bool) {
	switch code {
	case 130429, 131056, 4, 80007:
		return bridge.ReasonRateLimited, false
	case 1, 2, 131000, 131016, 131057:
		return bridge.ReasonTemporary, false
	case 131047:
		return bridge.ReasonOutsideWindow, true
	case 131026, 131021, 133010:
		return bridge.ReasonUndeliverable, true
	case 190:
		return bridge.ReasonTokenExpired, true
	// 131062: this message cannot go to a business-scoped user id (one-tap,
	// zero-tap and copy-code authentication templates need a phone number).
	// https://developers.facebook.com/documentation/business-messaging/whatsapp/business-scoped-user-ids/
	case 131051, 131062:
		return bridge.ReasonUnsupported, true
	case 100, 131008, 131009:
		return bridge.ReasonInvalidRequest, true
	// Template sends. 132000: the number of values differs from the
	// template's placeholders; 132008/132012: a value's format does not
	// match (a text where the header wants an image); 132005: the
	// template once filled in is too long; 132007: the filled-in text
	// breaks Meta's format rules (in practice a value with a newline, a
	// tab or many spaces); 132018: Meta's catch-all for bad values. All
	// are fixed by changing the values, so the agent hears one thing.
	case 132000, 132005, 132007, 132008, 132012, 132018:
		return bridge.ReasonTemplateParams, true
	case 132001: // no such template in that language, or not approved (HTTP 404)
		return bridge.ReasonTemplateMissing, true
	case 132015: // paused for low quality; it may come back
		return bridge.ReasonTemplatePaused, true
	case 132016: // paused too often: disabled for good
		return bridge.ReasonTemplateDisabled, true
	case 368, 131048, 131049, 131050:
		return bridge.ReasonPolicy, true
	case 131052, 131053:
		return bridge.ReasonMediaRejected, true
	}
	return bridge.ReasonUnknown, true
}

// ClassifyResponse turns a Graph API answer with status >= 400 into a
// *bridge.DeliveryError. body may be empty or not JSON (a proxy's error
// page); the HTTP status then decides.
func ClassifyResponse(status int, header http.Header, body []byte) *bridge.DeliveryError {
	var wrapper struct {
		Error *GraphError `json:"error"`
	}
	if json.Unmarshal(body, &wrapper) != nil || wrapper.Error == nil {
		return classifyStatusOnly(status, header, body)
	}
	ge := wrapper.Error
	ge.HTTPStatus = status
	reason, permanent := ReasonForCode(ge.Code)
	de := &bridge.DeliveryError{Permanent: permanent, Reason: reason, Code: strconv.Itoa(ge.Code), Err: ge}
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
	if de.RetryAfter == 0 && !de.Permanent {
		switch ge.Code {
		case 131056:
			de.RetryAfter = pairRateLimitWait
		case 131057:
			de.RetryAfter = maintenanceWait
		}
	}
	return de
}

func classifyStatusOnly(status int, header http.Header, body []byte) *bridge.DeliveryError {
	snippet := string(body)
	if len(snippet) > 200 {
		snippet = snippet[:200] + "…"
	}
	de := &bridge.DeliveryError{
		Code: "http_" + strconv.Itoa(status),
		Err:  fmt.Errorf("graph api: HTTP %d: %s", status, snippet),
	}
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

// ClassifyTransportError wraps an error from http.Client.Do (timeout,
// refused connection, reset) as a transient delivery error. A cancelled
// caller context is returned as is: the job is stopping, not failing.
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

// retryAfter reads a Retry-After header given in seconds or as an HTTP date.
func retryAfter(h http.Header, now time.Time) time.Duration {
	v := h.Get("Retry-After")
	if v == "" {
		return 0
	}
	if secs, err := strconv.Atoi(v); err == nil {
		if secs < 0 {
			return 0
		}
		// A day is longer than any wait Meta asks for; the cap keeps a
		// garbage header from overflowing the Duration.
		secs = min(secs, 24*3600)
		return time.Duration(secs) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}
