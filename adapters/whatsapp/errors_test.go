package whatsapp_test

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/switchboard/switchboard/adapters/whatsapp"
	"github.com/switchboard/switchboard/bridge"
)

func TestReasonForCode(t *testing.T) {
	t.Parallel()
	tests := []struct {
		code      int
		reason    bridge.FailureReason
		permanent bool
	}{
		{130429, bridge.ReasonRateLimited, false},
		{131056, bridge.ReasonRateLimited, false},
		{4, bridge.ReasonRateLimited, false},
		{80007, bridge.ReasonRateLimited, false},
		{131000, bridge.ReasonTemporary, false},
		{131016, bridge.ReasonTemporary, false},
		{131057, bridge.ReasonTemporary, false},
		{131047, bridge.ReasonOutsideWindow, true},
		{131026, bridge.ReasonUndeliverable, true},
		{190, bridge.ReasonTokenExpired, true},
		{131051, bridge.ReasonUnsupported, true},
		{100, bridge.ReasonInvalidRequest, true},
		{368, bridge.ReasonPolicy, true},
		{131048, bridge.ReasonPolicy, true},
		{131049, bridge.ReasonPolicy, true},
		{131052, bridge.ReasonMediaRejected, true},
		{131053, bridge.ReasonMediaRejected, true},
		// Template sends, checked against Meta's error-code table.
		{132000, bridge.ReasonTemplateParams, true},
		{132005, bridge.ReasonTemplateParams, true},
		{132007, bridge.ReasonTemplateParams, true},
		{132008, bridge.ReasonTemplateParams, true},
		{132012, bridge.ReasonTemplateParams, true},
		{132018, bridge.ReasonTemplateParams, true},
		{132001, bridge.ReasonTemplateMissing, true},
		{132015, bridge.ReasonTemplatePaused, true},
		{132016, bridge.ReasonTemplateDisabled, true},
		{999999, bridge.ReasonUnknown, true},
	}
	for _, tt := range tests {
		reason, permanent := whatsapp.ReasonForCode(tt.code)
		require.Equal(t, tt.reason, reason, "code %d", tt.code)
		require.Equal(t, tt.permanent, permanent, "code %d", tt.code)
	}
}

// graph is a Graph API error body in Meta's shape; extra adds fields.
func graph(code int, extra string) []byte {
	c := strconv.Itoa(code)
	return []byte(`{"error":{"message":"(#` + c + `) boom","type":"OAuthException","code":` + c +
		`,"error_data":{"messaging_product":"whatsapp","details":"why"},"fbtrace_id":"Atrace"` + extra + `}}`)
}

func TestClassifyResponse(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		status     int
		header     http.Header
		body       []byte
		permanent  bool
		reason     bridge.FailureReason
		code       string
		retryAfter time.Duration
	}{
		{"the 24-hour window is permanent", 400, nil, graph(131047, ""), true, bridge.ReasonOutsideWindow, "131047", 0},
		{"an expired token is permanent", 401, nil, graph(190, `,"error_subcode":463`), true, bridge.ReasonTokenExpired, "190", 0},
		{"throughput 429 honours Retry-After", 429, http.Header{"Retry-After": {"7"}}, graph(130429, ""), false, bridge.ReasonRateLimited, "130429", 7 * time.Second},
		{"a pair rate limit waits about 6s", 400, nil, graph(131056, ""), false, bridge.ReasonRateLimited, "131056", 6 * time.Second},
		{"maintenance waits a minute", 503, nil, graph(131057, ""), false, bridge.ReasonTemporary, "131057", time.Minute},
		{"is_transient overrides an unknown code", 400, nil, graph(2, `,"is_transient":true`), false, bridge.ReasonTemporary, "2", 0},
		{"is_transient overrides a permanent code", 400, nil, graph(100, `,"is_transient":true`), false, bridge.ReasonTemporary, "100", 0},
		{"a 5xx with a Graph body is transient", 500, nil, graph(1, ""), false, bridge.ReasonTemporary, "1", 0},
		{"a 5xx without a body is transient", 502, nil, []byte("<html>bad gateway</html>"), false, bridge.ReasonTemporary, "http_502", 0},
		{"a bare 429 is rate limited", 429, http.Header{"Retry-After": {"3"}}, nil, false, bridge.ReasonRateLimited, "http_429", 3 * time.Second},
		{"a bare 4xx is permanent", 404, nil, []byte("not found"), true, bridge.ReasonInvalidRequest, "http_404", 0},
		{"media rejected is permanent", 400, nil, graph(131053, ""), true, bridge.ReasonMediaRejected, "131053", 0},
		{"a template's parameter count is permanent", 400, nil, graph(132000, ""), true, bridge.ReasonTemplateParams, "132000", 0},
		{"a missing template answers 404", 404, nil, graph(132001, ""), true, bridge.ReasonTemplateMissing, "132001", 0},
		{"a paused template is permanent", 400, nil, graph(132015, ""), true, bridge.ReasonTemplatePaused, "132015", 0},
		{"a disabled template is permanent", 400, nil, graph(132016, ""), true, bridge.ReasonTemplateDisabled, "132016", 0},
		{"an undeliverable recipient is permanent", 400, nil, graph(131026, ""), true, bridge.ReasonUndeliverable, "131026", 0},
		{"the spam rate limit stops", 400, nil, graph(131048, ""), true, bridge.ReasonPolicy, "131048", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := tt.header
			if h == nil {
				h = http.Header{}
			}
			de := whatsapp.ClassifyResponse(tt.status, h, tt.body)
			require.Equal(t, tt.permanent, de.Permanent)
			require.Equal(t, tt.reason, de.Reason)
			require.Equal(t, tt.code, de.Code)
			require.Equal(t, tt.retryAfter, de.RetryAfter)
			require.Error(t, de.Err)
		})
	}
}

func TestClassifyResponseKeepsGraphDetails(t *testing.T) {
	t.Parallel()
	de := whatsapp.ClassifyResponse(400, http.Header{}, graph(131047, `,"error_subcode":2494010`))
	var ge *whatsapp.GraphError
	require.True(t, errors.As(de, &ge))
	require.Equal(t, 131047, ge.Code)
	require.Equal(t, 2494010, ge.Subcode)
	require.Equal(t, "why", ge.ErrorData.Details)
	require.Equal(t, "Atrace", ge.FBTraceID)
	require.Contains(t, de.Error(), "permanent")
}

func TestClassifyResponseReadsRetryAfterAsDate(t *testing.T) {
	t.Parallel()
	when := time.Now().Add(90 * time.Second).UTC().Format(http.TimeFormat)
	de := whatsapp.ClassifyResponse(429, http.Header{"Retry-After": {when}}, nil)
	require.InDelta(t, 90, de.RetryAfter.Seconds(), 2)
}

func TestClassifyTransportError(t *testing.T) {
	t.Parallel()
	err := whatsapp.ClassifyTransportError(context.DeadlineExceeded)
	de, ok := bridge.AsDeliveryError(err)
	require.True(t, ok)
	require.False(t, de.Permanent)
	require.Equal(t, "timeout", de.Code)

	require.ErrorIs(t, whatsapp.ClassifyTransportError(context.Canceled), context.Canceled)
	_, ok = bridge.AsDeliveryError(whatsapp.ClassifyTransportError(context.Canceled))
	require.False(t, ok, "a cancelled job is not a delivery failure")
}
