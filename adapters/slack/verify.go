// Package slack is switchboard's Slack workspace adapter: it verifies and
// parses Events API, interactivity and slash-command requests into bridge
// events (events.go, interactivity.go), and writes into team channels through
// slack-go's Web API client (workspace.go, card.go).
package slack

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"time"
)

// MaxClockSkew is how far a request's X-Slack-Request-Timestamp may be from
// our clock, in either direction. Slack documents five minutes; older
// requests are refused so a captured request cannot be replayed later.
const MaxClockSkew = 5 * time.Minute

// Errors returned by Verify; handlers answer all of them with 401.
var (
	ErrNoSecret         = errors.New("slack: no signing secret configured")
	ErrMissingSignature = errors.New("slack: missing X-Slack-Signature or X-Slack-Request-Timestamp")
	ErrBadSignature     = errors.New("slack: signature does not match")
	ErrStaleTimestamp   = errors.New("slack: request timestamp outside the allowed window")
)

// Verify checks Slack's v0 request signature: sigHeader must be
// "v0=" + hex(HMAC-SHA256(secret, "v0:" + tsHeader + ":" + body)) and
// tsHeader (Unix seconds) within MaxClockSkew of now. body must be the raw
// request bytes: re-serialised JSON or re-encoded forms would not match.
//
// We verify ourselves instead of using slack.NewSecretsVerifier because it
// takes an http.Header (fiber has fasthttp headers) and reads the clock
// itself, which we want injectable for tests.
func Verify(secret, sigHeader, tsHeader string, body []byte, now time.Time) error {
	if secret == "" {
		// Fail closed: an empty secret would make every forged request valid.
		return ErrNoSecret
	}
	if sigHeader == "" || tsHeader == "" {
		return ErrMissingSignature
	}
	ts, err := strconv.ParseInt(tsHeader, 10, 64)
	if err != nil {
		return ErrMissingSignature
	}
	skew := now.Sub(time.Unix(ts, 0))
	if skew > MaxClockSkew || skew < -MaxClockSkew {
		return ErrStaleTimestamp
	}
	hexSig, ok := strings.CutPrefix(sigHeader, "v0=")
	if !ok {
		return ErrBadSignature
	}
	got, err := hex.DecodeString(hexSig)
	if err != nil {
		return ErrBadSignature
	}
	if !hmac.Equal(got, signature(secret, tsHeader, body)) {
		return ErrBadSignature
	}
	return nil
}

// signature is the raw v0 MAC; slacktest.Sign computes the same thing
// independently so the two check each other.
func signature(secret, ts string, body []byte) []byte {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte("v0:"))
	mac.Write([]byte(ts))
	mac.Write([]byte(":"))
	mac.Write(body)
	return mac.Sum(nil)
}
