package bridge

import (
	"context"
	"errors"
	"fmt"
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestDeliveryKeyIsStableAndShort(t *testing.T) {
	created := time.Date(2026, 12, 6, 13, 0, 0, 123e6, time.UTC)
	d := Delivery{ID: 36*36*36*36*36*36*36*36*36*36*36*36 - 1, Lane: "c1:workspace", CreatedAt: created}
	var b Bridge
	k := b.deliveryKeyOf(d)
	require.Equal(t, k.Key, b.deliveryKeyOf(d).Key, "every attempt has the same key")
	require.LessOrEqual(t, len(k.Part(98)), 25, "a Discord nonce")
	require.False(t, k.MaybeSent)
	require.Equal(t, created, k.Since)
	other := d
	other.CreatedAt = created.Add(time.Millisecond)
	require.NotEqual(t, k.Key, b.deliveryKeyOf(other).Key, "the same id in another database is another key")
	require.Equal(t, k.Key+".2", k.Part(1))

	ctx := WithDeliveryKey(context.Background(), k)
	got, ok := DeliveryKeyFrom(ctx)
	require.True(t, ok)
	require.Equal(t, k, got)
	_, ok = DeliveryKeyFrom(context.Background())
	require.False(t, ok)
}

func TestMaybeSentWhenAnEarlierAttemptIsInDoubt(t *testing.T) {
	var b Bridge
	d := Delivery{ID: 7, Lane: "c1:workspace", CreatedAt: time.Now()}

	b.suspects.addLane(d.Lane)
	require.True(t, b.deliveryKeyOf(d).MaybeSent, "the lane was taken over from an expired lease")
	require.True(t, b.deliveryKeyOf(d).MaybeSent, "and stays so until recorded")
	b.suspects.recorded(d.ID)
	require.False(t, b.deliveryKeyOf(d).MaybeSent)

	b.suspects.add(d.ID) // a completion not recorded
	require.True(t, b.deliveryKeyOf(d).MaybeSent)
	b.suspects.recorded(d.ID)

	// Another process learns it from the stored error.
	timeout := &net.OpError{Op: "read", Err: timeoutErr{}}
	d.Attempts, d.LastError = 1, lastErrorText(fmt.Errorf("slack post: %w", timeout), DeliveryKey{})
	require.True(t, b.deliveryKeyOf(d).MaybeSent)
	unavailable := &DeliveryError{Reason: ReasonTemporary, Code: "503", Err: errors.New("service unavailable")}
	d.LastError = lastErrorText(unavailable, DeliveryKey{})
	require.False(t, b.deliveryKeyOf(d).MaybeSent, "an answer from the platform says it was not made")
	require.True(t, outcomeUnknown(context.DeadlineExceeded))

	// An attempt that began in doubt and failed (its lookup rate limited,
	// which spends no attempt) leaves the doubt for any other process.
	d.Attempts = 0
	d.LastError = lastErrorText(&DeliveryError{Reason: ReasonRateLimited, Err: errors.New("ratelimited")}, DeliveryKey{MaybeSent: true})
	require.True(t, b.deliveryKeyOf(d).MaybeSent, "a failed lookup must not turn into a blind post elsewhere")
	require.Equal(t, d.LastError, lastErrorText(errors.New(d.LastError), DeliveryKey{MaybeSent: true}), "the prefix is not repeated")
}

func TestSuspectsAreBounded(t *testing.T) {
	var s suspectSet
	for i := range maxSuspects + 10 {
		s.add(DeliveryID(i))
	}
	require.False(t, s.has(0), "the oldest is forgotten")
	require.True(t, s.has(DeliveryID(maxSuspects+9)))
	require.LessOrEqual(t, len(s.order), maxSuspects)
}

type timeoutErr struct{}

func (timeoutErr) Error() string   { return "i/o timeout" }
func (timeoutErr) Timeout() bool   { return true }
func (timeoutErr) Temporary() bool { return true }
