package bridge

import (
	"context"
	"errors"
	"io"
	"net"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// A platform call cannot be taken back, and recording its outcome is a
// second step: when the database is down at that moment, or the process
// dies in between, the delivery is still queued and a later job makes the
// call again. For a post in Slack or Discord that would show it twice, so
// the bridge tells the workspace which delivery a call belongs to and
// whether an earlier attempt may already have reached the platform; the
// adapter then finds that post (Slack: message metadata; Discord: the
// message nonce, which Discord deduplicates itself) and adopts it instead
// of posting again. The lookup costs a platform call, so it happens only
// when an earlier attempt is suspect, never on the happy path.

// DeliveryKey names the delivery a workspace call belongs to. Delivery
// jobs put it on the call's context (WithDeliveryKey); the workspace
// adapters read it in OpenThread, Post and PostFile (DeliveryKeyFrom).
type DeliveryKey struct {
	// Key is stable for the delivery across attempts, jobs and processes
	// (see deliveryKeyOf), about 20 characters; Part adds a suffix per
	// piece of a long text.
	Key string
	// MaybeSent says an earlier attempt may have reached the platform
	// without being recorded: look for its post before posting.
	MaybeSent bool
	// Since is when the delivery was created: no earlier post can be it,
	// so a lookup need not look further back (allow for clock skew).
	Since time.Time
}

// Part is the key of the i-th post (from 0) a delivery makes: the first
// is Key itself, the others Key.2, Key.3, … (within the 25 characters of
// a Discord nonce for any delivery id below 36^12 and up to 99 pieces).
func (k DeliveryKey) Part(i int) string {
	if i == 0 {
		return k.Key
	}
	return k.Key + "." + strconv.Itoa(i+1)
}

type deliveryKeyCtx struct{}

// WithDeliveryKey returns ctx carrying k for the workspace adapter.
func WithDeliveryKey(ctx context.Context, k DeliveryKey) context.Context {
	return context.WithValue(ctx, deliveryKeyCtx{}, k)
}

// DeliveryKeyFrom returns the delivery key on ctx; ok is false for calls
// that are not a delivery's (commands, tests), which post as before.
func DeliveryKeyFrom(ctx context.Context) (k DeliveryKey, ok bool) {
	k, ok = ctx.Value(deliveryKeyCtx{}).(DeliveryKey)
	return k, ok && k.Key != ""
}

// deliveryKeyOf is d's key for this attempt. maybeSent when this process
// failed to record an earlier attempt's success, took d's lane over from
// a holder whose lease ran out (it may have called and died), or d's last
// attempt ended without knowing whether the platform got it.
func (b *Bridge) deliveryKeyOf(d Delivery) DeliveryKey {
	if b.suspects.takeLane(d.Lane) {
		b.suspects.add(d.ID)
	}
	// The stored prefix carries the doubt to any process, and stays while
	// attempts that started in doubt fail (failedText), whether or not
	// they counted as attempts (a rate-limited lookup does not).
	maybe := b.suspects.has(d.ID) || strings.HasPrefix(d.LastError, unknownOutcomePrefix)
	// The id alone would repeat across databases (a sandbox restarted, a
	// staging copy sharing a bot): Discord would then hand back another
	// delivery's message for a nonce it saw minutes ago. The stored
	// creation time, in milliseconds, makes the key unique in practice
	// while staying the same for every attempt. Base 36 keeps it short
	// (Discord nonces take 25 characters).
	key := "d" + strconv.FormatInt(int64(d.ID), 36) + "-" + strconv.FormatInt(d.CreatedAt.UnixMilli(), 36)
	return DeliveryKey{Key: key, MaybeSent: maybe, Since: d.CreatedAt}
}

// unknownOutcomePrefix starts the stored error of an attempt whose
// request may have reached the platform (outcomeUnknown), so that a job
// in another process looks before trying again.
const unknownOutcomePrefix = "outcome unknown: "

// lastErrorText is what a failed attempt stores as the delivery's error.
// An attempt that began in doubt (its key said MaybeSent) and failed, its
// lookup included, leaves the doubt stored: the next attempt, on any
// replica and after any restart, looks again before posting.
func lastErrorText(err error, key DeliveryKey) string {
	if key.MaybeSent || outcomeUnknown(err) {
		return unknownOutcomePrefix + strings.TrimPrefix(err.Error(), unknownOutcomePrefix)
	}
	return err.Error()
}

// outcomeUnknown reports whether a failed call may nevertheless have been
// carried out: it timed out or its connection broke after the request
// went out. An answer from the platform (an error code, a 429) says it
// was not.
func outcomeUnknown(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, io.EOF) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) {
		return true
	}
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// maxSuspects bounds the suspects kept in memory; past it the oldest are
// forgotten (a delivery unrecorded for that long has been taken over and
// is covered by the lane's takeover).
const maxSuspects = 4096

// suspectSet is what this process knows may have reached a platform
// without being recorded: deliveries whose completion it failed to record
// or whose call ended in doubt, and lanes it took over from a holder whose
// lease ran out. Its zero value is ready to use.
type suspectSet struct {
	mu         sync.Mutex
	deliveries map[DeliveryID]struct{}
	lanes      map[Lane]struct{}
	// unrecorded are lanes this process holds with a call it could not
	// record: their lease is given up as run out (releaseLane).
	unrecorded map[Lane]struct{}
	order      []any // DeliveryID or Lane, oldest first, for the bound
}

func (s *suspectSet) add(id DeliveryID) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.deliveries == nil {
		s.deliveries = map[DeliveryID]struct{}{}
	}
	if _, ok := s.deliveries[id]; !ok {
		s.deliveries[id] = struct{}{}
		s.pushLocked(id)
	}
}

// addLane marks the lane's next head as suspect: this job took the lane
// over, and the holder before it may have posted its head and died.
func (s *suspectSet) addLane(l Lane) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.lanes == nil {
		s.lanes = map[Lane]struct{}{}
	}
	if _, ok := s.lanes[l]; !ok {
		s.lanes[l] = struct{}{}
		s.pushLocked(l)
	}
}

func (s *suspectSet) pushLocked(v any) {
	s.order = append(s.order, v)
	for len(s.order) > maxSuspects {
		switch old := s.order[0].(type) {
		case DeliveryID:
			delete(s.deliveries, old)
		case Lane:
			delete(s.lanes, old)
		}
		s.order = s.order[1:]
	}
}

func (s *suspectSet) has(id DeliveryID) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.deliveries[id]
	return ok
}

// takeLane reports and forgets a lane's suspicion: it passes to the head
// about to run.
func (s *suspectSet) takeLane(l Lane) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.lanes[l]
	delete(s.lanes, l)
	return ok
}

// recorded forgets a delivery once its outcome is stored.
func (s *suspectSet) recorded(id DeliveryID) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.deliveries, id)
}

func (s *suspectSet) addUnrecorded(l Lane) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.unrecorded == nil {
		s.unrecorded = map[Lane]struct{}{}
	}
	s.unrecorded[l] = struct{}{}
}

// takeUnrecorded reports and forgets that a lane's job left a call
// unrecorded; releaseLane asks once per release, so the set stays small.
func (s *suspectSet) takeUnrecorded(l Lane) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.unrecorded[l]
	delete(s.unrecorded, l)
	return ok
}
