package storage_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/switchboard/switchboard/bridge"
	"github.com/switchboard/switchboard/storage"
)

// These tests run the real bridge's delivery lanes on both databases
// against laneWorkspace, a workspace whose Post the test steers (block,
// fail, observe), so every race can be set up without sleeping.

// laneWorkspace is a bridge.AgentWorkspace whose Post calls onPost.
type laneWorkspace struct {
	mu     sync.Mutex
	posts  []string
	onPost func(ctx context.Context, text string) (string, error)
}

var _ bridge.AgentWorkspace = (*laneWorkspace)(nil)

func (w *laneWorkspace) Kind() bridge.WorkspaceKind { return bridge.WorkspaceSlack }
func (w *laneWorkspace) OpenThread(context.Context, string, bridge.Card) (bridge.ThreadRef, error) {
	return bridge.ThreadRef{}, fmt.Errorf("not used")
}
func (w *laneWorkspace) UpdateCard(context.Context, bridge.ThreadRef, bridge.Card) error { return nil }
func (w *laneWorkspace) Post(ctx context.Context, _ bridge.ThreadRef, p bridge.Post) (string, error) {
	key, err := "", error(nil)
	if w.onPost != nil {
		key, err = w.onPost(ctx, p.Text)
	}
	if err == nil {
		w.mu.Lock()
		w.posts = append(w.posts, p.Text)
		if key == "" {
			key = fmt.Sprintf("k%d", len(w.posts))
		}
		w.mu.Unlock()
	}
	return key, err
}
func (w *laneWorkspace) PostFile(context.Context, bridge.ThreadRef, bridge.File, string) (string, error) {
	return "", fmt.Errorf("not used")
}
func (w *laneWorkspace) SetMark(context.Context, bridge.ThreadRef, string, bridge.Mark, bridge.Mark) error {
	return nil
}
func (w *laneWorkspace) React(context.Context, bridge.ThreadRef, string, string, bool) error {
	return nil
}
func (w *laneWorkspace) TellPrivately(context.Context, bridge.ThreadRef, string, string, ...bridge.PrivateAction) error {
	return nil
}
func (w *laneWorkspace) DownloadFile(context.Context, bridge.AgentFile) (bridge.File, error) {
	return bridge.File{}, fmt.Errorf("not used")
}
func (w *laneWorkspace) Link(bridge.ThreadRef) string { return "" }

func (w *laneWorkspace) sent() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]string(nil), w.posts...)
}

// laneBridge builds a bridge on store with ws as its Slack workspace.
func laneBridge(t *testing.T, store *storage.Store, ws *laneWorkspace, tune func(*bridge.Options)) *bridge.Bridge {
	t.Helper()
	opts := bridge.Options{Teams: []bridge.Team{{Name: "support", ChannelID: "C1"}},
		JobTimeout: time.Minute, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if tune != nil {
		tune(&opts)
	}
	b, err := bridge.New(store, nil, []bridge.AgentWorkspace{ws}, opts)
	require.NoError(t, err)
	return b
}

// openConversation makes a conversation whose thread is already open and
// returns its workspace lane.
func openConversation(t *testing.T, store *storage.Store, address string) (bridge.ConversationID, bridge.Lane) {
	t.Helper()
	ctx := context.Background()
	now := time.Now().UTC()
	var conv bridge.Conversation
	require.NoError(t, store.InTx(ctx, func(tx bridge.Tx) error {
		c, err := tx.UpsertContact(ctx, bridge.Contact{Channel: "whatsapp", Address: bridge.CustomerAddress(address), Name: "Ana", CreatedAt: now})
		if err != nil {
			return err
		}
		conv, err = tx.CreateConversation(ctx, bridge.Conversation{ContactID: c.ID, Inbox: "inbox", Team: "support",
			State: bridge.StatePending, OpenedAt: now, LastCustomerAt: now})
		if err != nil {
			return err
		}
		_, err = tx.CreateThread(ctx, bridge.Thread{ConversationID: conv.ID, Current: true, CreatedAt: now,
			Ref: bridge.ThreadRef{Workspace: bridge.WorkspaceSlack, ChannelID: "C1", ThreadKey: "T" + address}})
		return err
	}))
	return conv.ID, bridge.WorkspaceLane(conv.ID)
}

// postSystem queues a system post with text in the conversation's lane.
func postSystem(t *testing.T, store *storage.Store, conv bridge.ConversationID, text string) bridge.DeliveryID {
	t.Helper()
	ctx := context.Background()
	var id bridge.DeliveryID
	payload, err := json.Marshal(map[string]string{"text": text})
	require.NoError(t, err)
	require.NoError(t, store.InTx(ctx, func(tx bridge.Tx) error {
		id, err = tx.Enqueue(ctx, bridge.Delivery{ConversationID: conv, Lane: bridge.WorkspaceLane(conv),
			Kind: bridge.DeliverPostSystem, Payload: payload, CreatedAt: time.Now()})
		return err
	}))
	return id
}

func deliveryState(t *testing.T, store *storage.Store, id bridge.DeliveryID) bridge.Delivery {
	t.Helper()
	ctx := context.Background()
	var d bridge.Delivery
	require.NoError(t, store.InTx(ctx, func(tx bridge.Tx) error {
		var err error
		d, err = tx.GetDelivery(ctx, id)
		return err
	}))
	return d
}

// replicaClock is the bridge's clock in tests that run a delivery until
// done: a snooze is honoured by moving it on, as the time passing until
// the queue runs the job again would, instead of sleeping.
type replicaClock struct {
	mu  sync.Mutex
	now time.Time
}

func newReplicaClock() *replicaClock { return &replicaClock{now: time.Now()} }

func (c *replicaClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *replicaClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// runUntilDone runs a delivery's job the way the queue would, until it
// says done; each snooze moves clock (the bridge's Now) on by its wait.
func runUntilDone(t *testing.T, b *bridge.Bridge, clock *replicaClock, id bridge.DeliveryID, holder string) {
	t.Helper()
	for range 1000 {
		done, wait, err := b.RunDelivery(context.Background(), id, holder)
		require.NoError(t, err)
		if done {
			return
		}
		clock.advance(wait)
	}
	t.Fatalf("delivery %d not done after 1000 runs", id)
}

// dbClockMs reads the database's clock, as the lane queries do.
func dbClockMs(t *testing.T, db *storage.DB) int64 {
	t.Helper()
	q := `SELECT CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)`
	if db.Dialect == storage.SQLite {
		q = `SELECT CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)`
	}
	var ms int64
	require.NoError(t, db.GetContext(context.Background(), &ms, q))
	return ms
}

// waitDBClockPast polls the database's clock until it reads later than
// ms, failing the test after a deadline.
func waitDBClockPast(t *testing.T, db *storage.DB, ms int64) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for dbClockMs(t, db) <= ms {
		if time.Now().After(deadline) {
			t.Fatalf("database clock stuck at or before %d ms", ms)
		}
	}
}

// TestLaneLeaseIsJudgedByDatabaseClock: replica A, whose clock runs ten
// minutes behind, holds a lane while its platform call is in flight;
// replica B, whose clock runs ten minutes ahead, must not take the lane.
// With leases computed from each replica's clock, A's lease looked expired
// the moment it was written and B posted in the middle of A's work.
func TestLaneLeaseIsJudgedByDatabaseClock(t *testing.T) {
	eachDialect(t, func(t *testing.T, store *storage.Store, _ *storage.DB) {
		conv, _ := openConversation(t, store, "34600000001")
		first := postSystem(t, store, conv, "first")
		second := postSystem(t, store, conv, "second")

		entered, release := make(chan struct{}), make(chan struct{})
		slow := &laneWorkspace{onPost: func(_ context.Context, text string) (string, error) {
			if text == "first" {
				close(entered)
				<-release
			}
			return "", nil
		}}
		behind := laneBridge(t, store, slow, func(o *bridge.Options) {
			o.Now = func() time.Time { return time.Now().Add(-10 * time.Minute) }
		})
		fast := &laneWorkspace{}
		ahead := laneBridge(t, store, fast, func(o *bridge.Options) {
			o.Now = func() time.Time { return time.Now().Add(10 * time.Minute) }
		})

		done := make(chan error, 1)
		go func() {
			_, _, err := behind.RunDelivery(context.Background(), first, "A")
			done <- err
		}()
		<-entered
		finished, _, err := ahead.RunDelivery(context.Background(), second, "B")
		require.NoError(t, err)
		require.True(t, finished, "B finds the lane held and leaves it to A")
		require.Empty(t, fast.sent(), "B must not post while A holds the lane")
		close(release)
		require.NoError(t, <-done)
		require.Equal(t, []string{"first", "second"}, slow.sent(), "A drains the lane in order")
	})
}

// TestLaneLeaseIsRenewedWhileDraining: a job that drains several
// deliveries renews its lease before a platform call once more than a
// tenth of the lease has passed since it last took it. The old drain
// renewed only when less than half a lease was left but stopped after half
// a lease, so the renewal could never fire.
func TestLaneLeaseIsRenewedWhileDraining(t *testing.T) {
	eachDialect(t, func(t *testing.T, store *storage.Store, db *storage.DB) {
		ctx := context.Background()
		conv, lane := openConversation(t, store, "34600000002")
		ids := []bridge.DeliveryID{postSystem(t, store, conv, "a"), postSystem(t, store, conv, "b"), postSystem(t, store, conv, "c")}
		var leases []int64
		// A lease long enough that recording an outcome (a fifth of the
		// job timeout) does not time out on a loaded machine.
		lease := 5 * time.Second
		ws := &laneWorkspace{onPost: func(context.Context, string) (string, error) {
			var until int64
			require.NoError(t, db.GetContext(ctx, &until, db.Rebind(`SELECT lease_until_ms FROM lanes WHERE lane = ?`), string(lane)))
			leases = append(leases, until)
			// Each call lasts more than a tenth of the lease (on the
			// database's clock), so the next one must renew it.
			waitDBClockPast(t, db, dbClockMs(t, db)+lease.Milliseconds()/10+10)
			return "", nil
		}}
		clock := newReplicaClock()
		b := laneBridge(t, store, ws, func(o *bridge.Options) {
			o.Now, o.JobTimeout, o.LeaseDuration = clock.Now, lease, lease
		})
		runUntilDone(t, b, clock, ids[0], "job-1")
		require.Equal(t, []string{"a", "b", "c"}, ws.sent())
		require.Len(t, leases, 3)
		for i := 1; i < len(leases); i++ {
			require.Greater(t, leases[i], leases[i-1], "the lease is renewed before call %d", i+1)
		}
	})
}

// TestStaleHolderCannotOverwriteNewHoldersProgress: job A's platform call
// outlives its lease, job B takes the lane over and delivers; when A's
// call finally fails, A must not write its retry over B's "done" (which
// would run the delivery again and post it twice).
func TestStaleHolderCannotOverwriteNewHoldersProgress(t *testing.T) {
	eachDialect(t, func(t *testing.T, store *storage.Store, _ *storage.DB) {
		conv, _ := openConversation(t, store, "34600000003")
		id := postSystem(t, store, conv, "once")
		entered, release := make(chan struct{}), make(chan struct{})
		stuck := &laneWorkspace{onPost: func(context.Context, string) (string, error) {
			close(entered)
			<-release
			return "", &bridge.DeliveryError{Reason: bridge.ReasonTemporary, Code: "502", Err: fmt.Errorf("bad gateway")}
		}}
		short := func(o *bridge.Options) { o.JobTimeout, o.LeaseDuration = 300*time.Millisecond, 300*time.Millisecond }
		a := laneBridge(t, store, stuck, short)
		fresh := &laneWorkspace{}
		b := laneBridge(t, store, fresh, short)

		done := make(chan error, 1)
		go func() {
			_, _, err := a.RunDelivery(context.Background(), id, "A")
			done <- err
		}()
		<-entered
		require.Eventually(t, func() bool {
			_, _, err := b.RunDelivery(context.Background(), id, "B")
			require.NoError(t, err)
			return len(fresh.sent()) == 1
		}, 10*time.Second, 20*time.Millisecond, "B takes the lane over once A's lease ends")
		require.Equal(t, bridge.DeliveryDone, deliveryState(t, store, id).State)

		close(release)
		require.NoError(t, <-done, "losing the lane is not the job's error")
		got := deliveryState(t, store, id)
		require.Equal(t, bridge.DeliveryDone, got.State, "the stale holder's retry is rejected")
		require.Zero(t, got.Attempts)
	})
}

// TestPlatformCallOutlivesJobDeadline: the job's deadline passes while a
// platform call is in flight; the call carries on with its own context
// and its outcome is recorded.
func TestPlatformCallOutlivesJobDeadline(t *testing.T) {
	eachDialect(t, func(t *testing.T, store *storage.Store, _ *storage.DB) {
		conv, _ := openConversation(t, store, "34600000004")
		id := postSystem(t, store, conv, "hello")
		entered, release := make(chan struct{}), make(chan struct{})
		var callErr error
		ws := &laneWorkspace{onPost: func(ctx context.Context, _ string) (string, error) {
			close(entered)
			<-release
			callErr = ctx.Err()
			return "", nil
		}}
		b := laneBridge(t, store, ws, nil)
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		done := make(chan struct{})
		go func() {
			defer close(done)
			_, _, _ = b.RunDelivery(ctx, id, "job-1")
		}()
		<-entered
		<-ctx.Done() // the job's deadline passes while the call is in flight
		close(release)
		<-done
		require.NoError(t, callErr, "the platform call was not cancelled by the job's deadline")
		require.Equal(t, bridge.DeliveryDone, deliveryState(t, store, id).State)
	})
}

// TestDrainStartsNoCallThatCouldOutliveTheJob: each call takes a third of
// the job timeout (on the bridge's clock); one job starts only the calls
// that can still finish, and be recorded, a margin before its timeout,
// then hands the lane back to the queue.
func TestDrainStartsNoCallThatCouldOutliveTheJob(t *testing.T) {
	eachDialect(t, func(t *testing.T, store *storage.Store, _ *storage.DB) {
		conv, _ := openConversation(t, store, "34600000005")
		first := postSystem(t, store, conv, "1")
		postSystem(t, store, conv, "2")
		postSystem(t, store, conv, "3")
		const timeout = time.Minute
		var skew atomic.Int64
		ws := &laneWorkspace{onPost: func(context.Context, string) (string, error) {
			skew.Add(int64(timeout / 3))
			return "", nil
		}}
		b := laneBridge(t, store, ws, func(o *bridge.Options) {
			o.JobTimeout = timeout
			o.Now = func() time.Time { return time.Now().Add(time.Duration(skew.Load())) }
		})
		done, wait, err := b.RunDelivery(context.Background(), first, "job-1")
		require.NoError(t, err)
		require.Equal(t, []string{"1"}, ws.sent(), "a second call could not end before the job's timeout")
		require.False(t, done, "the lane goes back to the queue")
		require.Zero(t, wait)
	})
}

// TestRateLimitedDeliverySpendsNoAttempt: twenty 429s in a row, then
// success: the delivery is made, not failed after max_attempts.
func TestRateLimitedDeliverySpendsNoAttempt(t *testing.T) {
	eachDialect(t, func(t *testing.T, store *storage.Store, _ *storage.DB) {
		conv, _ := openConversation(t, store, "34600000006")
		id := postSystem(t, store, conv, "paced")
		var calls atomic.Int32
		ws := &laneWorkspace{onPost: func(context.Context, string) (string, error) {
			switch n := calls.Add(1); {
			case n <= 20:
				return "", &bridge.DeliveryError{Reason: bridge.ReasonRateLimited, Code: "429", RetryAfter: time.Millisecond,
					Err: fmt.Errorf("ratelimited")}
			case n <= 22: // Graph's 130429 says no Retry-After
				return "", &bridge.DeliveryError{Reason: bridge.ReasonRateLimited, Code: "130429", Err: fmt.Errorf("rate limit hit")}
			}
			return "", nil
		}}
		clock := newReplicaClock()
		b := laneBridge(t, store, ws, func(o *bridge.Options) { o.MaxAttempts = 3; o.Now = clock.Now })
		runUntilDone(t, b, clock, id, "job-1")
		require.Equal(t, []string{"paced"}, ws.sent())
		got := deliveryState(t, store, id)
		require.Equal(t, bridge.DeliveryDone, got.State)
		require.Zero(t, got.Attempts, "rate limits spend no attempt")
	})
}

// TestUnloadableHeadIsFailedAndTheLaneGoesOn: a customer message whose
// stored JSON is corrupt heads its lane. It is failed, the thread is told
// in words an agent understands, and the delivery behind it is made.
func TestUnloadableHeadIsFailedAndTheLaneGoesOn(t *testing.T) {
	eachDialect(t, func(t *testing.T, store *storage.Store, _ *storage.DB) {
		ctx := context.Background()
		conv, lane := openConversation(t, store, "34600000007")
		var head bridge.DeliveryID
		require.NoError(t, store.InTx(ctx, func(tx bridge.Tx) error {
			msg, _, err := tx.InsertMessage(ctx, bridge.Message{ConversationID: conv, Direction: bridge.Inbound,
				Kind: bridge.KindText, Body: "hola", Payload: json.RawMessage(`{"kind":"text","te`), ExternalID: "wamid.corrupt",
				CreatedAt: time.Now(), SentAt: time.Now()})
			if err != nil {
				return err
			}
			head, err = tx.Enqueue(ctx, bridge.Delivery{ConversationID: conv, Lane: lane, Kind: bridge.DeliverPostInbound,
				MessageID: msg, CreatedAt: time.Now().Add(-time.Second)})
			return err
		}))
		postSystem(t, store, conv, "after")
		ws := &laneWorkspace{}
		clock := newReplicaClock()
		b := laneBridge(t, store, ws, func(o *bridge.Options) { o.Now = clock.Now })
		runUntilDone(t, b, clock, head, "job-1")

		got := deliveryState(t, store, head)
		require.Equal(t, bridge.DeliveryFailed, got.State)
		require.Contains(t, got.LastError, "corrupt")
		explain := "⚠️ " + bridge.Text("en", "fail.unloadable", bridge.Text("en", "fail.unloadable_in"))
		require.Equal(t, []string{"after", explain}, ws.sent())
	})
}

// TestRescueUnderLoadKeepsOneJobPerLane: with the workers behind (the
// queue is not running), rescuing stalled lanes again and again adds at
// most one job per lane.
func TestRescueUnderLoadKeepsOneJobPerLane(t *testing.T) {
	eachDialect(t, func(t *testing.T, _ *storage.Store, db *storage.DB) {
		ctx := context.Background()
		queue, err := storage.NewQueue(db, storage.QueueOptions{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
		require.NoError(t, err)
		t.Cleanup(func() { _ = queue.Stop(context.Background()) })
		store := storage.NewStore(db, queue)
		const lanes = 6
		old := time.Now().Add(-time.Minute)
		payload := json.RawMessage(`{"text":"x"}`)
		for i := range lanes {
			conv, lane := openConversation(t, store, fmt.Sprintf("3460010%04d", i))
			require.NoError(t, store.InTx(ctx, func(tx bridge.Tx) error {
				_, err := tx.Enqueue(ctx, bridge.Delivery{ConversationID: conv, Lane: lane, Kind: bridge.DeliverPostSystem,
					Payload: payload, CreatedAt: old})
				return err
			}))
		}
		b := laneBridge(t, store, &laneWorkspace{}, nil)
		for range 5 {
			require.NoError(t, b.RescueLanes(ctx))
		}
		var jobs int
		require.NoError(t, db.GetContext(ctx, &jobs, `SELECT COUNT(*) FROM river_job`))
		require.LessOrEqual(t, jobs, 2*lanes, "one job per delivery plus at most one rescue per lane")
		require.Greater(t, jobs, lanes, "the stalled lanes were rescued")
	})
}

// TestRescueFindsEveryStalledLane: one lane with a long backlog must not
// hide the other stalled lanes from the rescue.
func TestRescueFindsEveryStalledLane(t *testing.T) {
	eachDialect(t, func(t *testing.T, store *storage.Store, _ *storage.DB) {
		ctx := context.Background()
		busy, busyLane := openConversation(t, store, "34600200001")
		quiet, quietLane := openConversation(t, store, "34600200002")
		old := time.Now().Add(-time.Minute)
		require.NoError(t, store.InTx(ctx, func(tx bridge.Tx) error {
			for range 1100 {
				if _, err := tx.Enqueue(ctx, bridge.Delivery{ConversationID: busy, Lane: busyLane, Kind: bridge.DeliverUpdateCard, CreatedAt: old}); err != nil {
					return err
				}
			}
			_, err := tx.Enqueue(ctx, bridge.Delivery{ConversationID: quiet, Lane: quietLane, Kind: bridge.DeliverUpdateCard, CreatedAt: old})
			return err
		}))
		var lanes []bridge.Lane
		require.NoError(t, store.InTx(ctx, func(tx bridge.Tx) error {
			heads, err := tx.StalledLanes(ctx, time.Now(), time.Now().Add(-10*time.Second))
			for _, h := range heads {
				lanes = append(lanes, h.Lane)
			}
			return err
		}))
		require.ElementsMatch(t, []bridge.Lane{busyLane, quietLane}, lanes)
	})
}

// TestPeriodicTaskRunsOncePerPeriodOnItsOwnQueue: inserting a periodic
// task's job twice in one period (two leaders for a moment, or a leader
// handing over) makes one job, on the periodic queue, so delivery
// backlogs never delay the rescue.
func TestPeriodicTaskRunsOncePerPeriodOnItsOwnQueue(t *testing.T) {
	eachDialect(t, func(t *testing.T, _ *storage.Store, db *storage.DB) {
		ctx := context.Background()
		queue, err := storage.NewQueue(db, storage.QueueOptions{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
		require.NoError(t, err)
		t.Cleanup(func() { _ = queue.Stop(context.Background()) })
		inserted, err := queue.InsertPeriodic(ctx, "rescue_lanes", time.Hour)
		require.NoError(t, err)
		require.True(t, inserted)
		inserted, err = queue.InsertPeriodic(ctx, "rescue_lanes", time.Hour)
		require.NoError(t, err)
		require.False(t, inserted, "the same period's job exists")
		inserted, err = queue.InsertPeriodic(ctx, "reminders", time.Hour)
		require.NoError(t, err)
		require.True(t, inserted, "another task has its own job")
		var queues []string
		require.NoError(t, db.SelectContext(ctx, &queues, `SELECT queue FROM river_job ORDER BY id`))
		require.Equal(t, []string{"periodic", "periodic"}, queues)
	})
}

// stallingStore is the real store, stalling its caller once after its n-th
// transaction: a job paused (GC, a slow host) between reading its lane's
// head and calling the platform.
type stallingStore struct {
	*storage.Store
	mu      sync.Mutex
	calls   int
	n       int
	stalled chan struct{}
	release chan struct{}
}

func (s *stallingStore) InTx(ctx context.Context, fn func(bridge.Tx) error) error {
	err := s.Store.InTx(ctx, fn)
	s.mu.Lock()
	s.calls++
	stall := s.calls == s.n
	s.mu.Unlock()
	if stall {
		close(s.stalled)
		<-s.release
	}
	return err
}

// TestJobThatStalledPastItsLeaseReadsItsHeadAgain: a job stalls after
// reading its lane's head until its lease has run out; another job takes
// the lane and posts the head. The first job, back, must not post the head
// it read before: the post happens once.
func TestJobThatStalledPastItsLeaseReadsItsHeadAgain(t *testing.T) {
	eachDialect(t, func(t *testing.T, store *storage.Store, _ *storage.DB) {
		conv, _ := openConversation(t, store, "34600000009")
		id := postSystem(t, store, conv, "once")
		short := func(o *bridge.Options) { o.JobTimeout, o.LeaseDuration = 300*time.Millisecond, 300*time.Millisecond }
		// Transactions of the first job: 1 reads its delivery, 2 reads
		// the lane's head; it stalls after that one.
		slow := &stallingStore{Store: store, n: 2, stalled: make(chan struct{}), release: make(chan struct{})}
		stalledWS := &laneWorkspace{}
		opts := bridge.Options{Teams: []bridge.Team{{Name: "support", ChannelID: "C1"}},
			Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
		short(&opts)
		a, err := bridge.New(slow, nil, []bridge.AgentWorkspace{stalledWS}, opts)
		require.NoError(t, err)
		fresh := &laneWorkspace{}
		b := laneBridge(t, store, fresh, short)

		done := make(chan error, 1)
		go func() {
			_, _, err := a.RunDelivery(context.Background(), id, "A")
			done <- err
		}()
		<-slow.stalled
		require.Eventually(t, func() bool {
			_, _, err := b.RunDelivery(context.Background(), id, "B")
			require.NoError(t, err)
			return len(fresh.sent()) == 1
		}, 10*time.Second, 20*time.Millisecond, "B takes the lane over once A's lease ends and posts")
		close(slow.release)
		require.NoError(t, <-done)
		require.Empty(t, stalledWS.sent(), "the stalled job did not post the head B had posted already")
		require.Equal(t, bridge.DeliveryDone, deliveryState(t, store, id).State)
	})
}
