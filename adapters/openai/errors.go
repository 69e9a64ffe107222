package openai

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	sdk "github.com/openai/openai-go/v3"

	"github.com/switchboard/switchboard/bridge/assist"
)

// ErrRefused is returned by Complete when the model refused to answer (the
// message's "refusal"): the provider works, the request was declined.
// assist.IsRefusal recognises it.
var ErrRefused error = refusal{}

type refusal struct{}

func (refusal) Error() string { return "the model refused the request" }
func (refusal) Refusal() bool { return true }

// Error is an error answer of the API after the SDK's retries, with the
// fields of OpenAI's error JSON. It never holds the request or the key.
type Error struct {
	Status  int
	Type    string // "invalid_request_error", "requests", "server_error", …
	Code    string // "invalid_api_key", "rate_limit_exceeded", "model_not_found", …
	Message string
}

func (e *Error) Error() string {
	msg := fmt.Sprintf("status %d %s", e.Status, http.StatusText(e.Status))
	if e.Code != "" {
		msg += " (" + e.Code + ")"
	}
	if e.Message != "" {
		msg += ": " + e.Message
	}
	return msg
}

// Temporary reports whether the same request could succeed later (rate
// limits, overload, server errors), as opposed to a configuration mistake
// (a wrong key, an unknown model) that needs a person.
func (e *Error) Temporary() bool {
	return e.Status == http.StatusRequestTimeout || e.Status == http.StatusConflict ||
		e.Status == http.StatusTooManyRequests || e.Status >= 500
}

// fail turns an SDK error into ours. Every failure wraps
// assist.ErrUnavailable: for the bridge a provider that answers 401 is as
// unavailable as one that is down, and the message says which it was. A
// cancelled caller's context is returned as it is.
func (c *Client) fail(what string, err error) error {
	var apiErr *sdk.Error
	if errors.As(err, &apiErr) {
		e := &Error{Status: apiErr.StatusCode, Type: apiErr.Type, Code: apiErr.Code, Message: apiErr.Message}
		return fmt.Errorf("%w: openai %s: %w", assist.ErrUnavailable, what, e)
	}
	if errors.Is(err, context.Canceled) {
		return err
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("%w: openai %s: no answer within %s: %w", assist.ErrUnavailable, what, c.cfg.Timeout, err)
	}
	return fmt.Errorf("%w: openai %s: %w", assist.ErrUnavailable, what, err)
}
