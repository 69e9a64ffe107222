package storage

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivertype"
	"github.com/switchboard/switchboard/bridge"
)

const (
	// queueCustomer carries deliveries to customers (the customer lanes).
	queueCustomer = "customer"
	// queuePeriodic runs the periodic tasks, so a backlog of deliveries
	// never delays the rescue of stalled lanes, and a slow task never
	// takes a delivery worker.
	queuePeriodic = "periodic"
)

// DeliverArgs is the River job that runs one delivery. Its lane is carried
// for logs, and is the unique key of rescue jobs (one waiting per lane);
// the row in deliveries is the truth.
type DeliverArgs struct {
	DeliveryID int64  `json:"delivery_id"`
	Lane       string `json:"lane" river:"unique"`
}

// Kind is stored with every job: never rename it.
func (DeliverArgs) Kind() string { return "switchboard_deliver" }

// Runner runs deliveries; the bridge implements it. A job carries its
// delivery's lane and runs that lane (the delivery itself need not be
// read). done=false asks to be called again after wait (the lane is busy,
// the platform said wait, or the ordering window has not passed).
type Runner interface {
	RunLane(ctx context.Context, lane bridge.Lane, holder string) (done bool, wait time.Duration, err error)
	RunDelivery(ctx context.Context, id bridge.DeliveryID, holder string) (done bool, wait time.Duration, err error)
}

// Periodic is work one replica (River's elected leader) runs every so
// often: reminders, digests. Name is stored with the job: never rename one.
type Periodic struct {
	Name  string
	Every time.Duration
	Run   func(ctx context.Context) error
}

// PeriodicArgs is the job of one Periodic task.
type PeriodicArgs struct {
	Name string `json:"name"`
}

// Kind is stored with every job: never rename it.
func (PeriodicArgs) Kind() string { return "switchboard_periodic" }

// periodicJob is the job of one run of a periodic task: on its own queue,
// and unique per task and period, so a leader handing over (or two
// leaders for a moment) never runs a task twice in one period.
func periodicJob(name string, every time.Duration) (river.JobArgs, *river.InsertOpts) {
	return PeriodicArgs{Name: name}, &river.InsertOpts{Queue: queuePeriodic, MaxAttempts: 1,
		UniqueOpts: river.UniqueOpts{ByArgs: true, ByPeriod: max(every, time.Second)}}
}

type periodicWorker struct {
	river.WorkerDefaults[PeriodicArgs]
	tasks map[string]Periodic
}

func (w *periodicWorker) Work(ctx context.Context, job *river.Job[PeriodicArgs]) error {
	task, ok := w.tasks[job.Args.Name]
	if !ok {
		return river.JobCancel(fmt.Errorf("unknown periodic task %q", job.Args.Name))
	}
	return task.Run(ctx)
}

// QueueOptions tune the job queue. Zero values take the defaults.
type QueueOptions struct {
	Workers int // concurrent delivery jobs in this process (default 20)
	// PollInterval is how often new jobs are looked for. River's
	// database/sql and SQLite drivers cannot LISTEN, so this bounds the
	// delivery latency (default 50 ms).
	PollInterval time.Duration
	// JobTimeout bounds one job; RescueAfter is when a job left running by
	// a dead process is run again (must exceed JobTimeout).
	JobTimeout  time.Duration
	RescueAfter time.Duration
	// Periodic tasks run on one replica at a time.
	Periodic []Periodic
	Logger   *slog.Logger
}

// Queue is the durable job queue (River) on our database.
type Queue struct {
	client *river.Client[*sql.Tx]
	// inJobWait is the longest wait a delivery job sits out itself.
	inJobWait time.Duration
	runner    *runnerSlot
	listener  *pgxpool.Pool // PostgreSQL only: LISTEN for new jobs
}

type runnerSlot struct{ Runner }

// NewQueue builds the River client for db. Start it with Start once the
// runner is set; inserting works before that.
func NewQueue(db *DB, opts QueueOptions) (*Queue, error) {
	if opts.Workers <= 0 {
		opts.Workers = 20
	}
	if opts.PollInterval <= 0 {
		opts.PollInterval = 50 * time.Millisecond
	}
	if opts.JobTimeout <= 0 {
		opts.JobTimeout = 2 * time.Minute
	}
	if opts.RescueAfter <= opts.JobTimeout {
		opts.RescueAfter = opts.JobTimeout + time.Minute
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	slot := &runnerSlot{}
	workers := river.NewWorkers()
	if err := river.AddWorkerSafely(workers, &deliverWorker{slot: slot, inJobWait: inJobWait(opts.JobTimeout)}); err != nil {
		return nil, err
	}
	tasks := map[string]Periodic{}
	var periodic []*river.PeriodicJob
	for _, p := range opts.Periodic {
		tasks[p.Name] = p
		name := p.Name
		every := p.Every
		periodic = append(periodic, river.NewPeriodicJob(river.PeriodicInterval(every),
			func() (river.JobArgs, *river.InsertOpts) { return periodicJob(name, every) }, nil))
	}
	if err := river.AddWorkerSafely(workers, &periodicWorker{tasks: tasks}); err != nil {
		return nil, err
	}
	cfg := &river.Config{
		// Replies to customers have their own queue, so a backlog of posts
		// into busy Slack channels never delays what agents send.
		Queues: map[string]river.QueueConfig{
			river.QueueDefault: {MaxWorkers: opts.Workers},
			queueCustomer:      {MaxWorkers: max(opts.Workers/2, 1)},
			queuePeriodic:      {MaxWorkers: 2},
		},
		Workers:                     workers,
		FetchPollInterval:           opts.PollInterval,
		FetchCooldown:               opts.PollInterval / 5,
		JobTimeout:                  opts.JobTimeout,
		RescueStuckJobsAfter:        opts.RescueAfter,
		CompletedJobRetentionPeriod: time.Hour,
		Logger:                      opts.Logger,
		PeriodicJobs:                periodic,
		RetryPolicy:                 jobRetryPolicy{},
	}
	var (
		client *river.Client[*sql.Tx]
		err    error
	)
	if db.Dialect == SQLite {
		client, err = river.NewClient(riversqlite.New(db.DB.DB), cfg)
	}
	var listener *pgxpool.Pool
	if db.Dialect == Postgres {
		// Queries stay on database/sql (lib/pq); a small pgx pool only
		// LISTENs, so a job committed by any replica is picked up at once
		// instead of at the next poll.
		listener, err = newListenerPool(db.url)
		if err != nil {
			return nil, err
		}
		client, err = river.NewClient(riverdatabasesql.NewWithPgxListener(db.DB.DB, listener), cfg)
	}
	if err != nil {
		if listener != nil {
			listener.Close()
		}
		return nil, fmt.Errorf("job queue: %w", err)
	}
	return &Queue{client: client, runner: slot, listener: listener, inJobWait: inJobWait(opts.JobTimeout)}, nil
}

func newListenerPool(url string) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("job queue listener: %w", err)
	}
	cfg.MaxConns = 2
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		return nil, fmt.Errorf("job queue listener: %w", err)
	}
	return pool, nil
}

// SetRunner names who runs deliveries; call before Start.
func (q *Queue) SetRunner(r Runner) { q.runner.Runner = r }

// Start begins working jobs.
func (q *Queue) Start(ctx context.Context) error { return q.client.Start(ctx) }

// Stop lets running jobs finish until ctx ends, then cancels them; a
// cancelled delivery hands its job back (snooze 0) for the next start.
func (q *Queue) Stop(ctx context.Context) error {
	if q.listener != nil {
		defer q.listener.Close()
	}
	err := q.client.Stop(ctx)
	if ctx.Err() != nil {
		cctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		return q.client.StopAndCancel(cctx)
	}
	return err
}

// StopAndCancel cancels running jobs at once (they are handed back).
func (q *Queue) StopAndCancel(ctx context.Context) error { return q.client.StopAndCancel(ctx) }

// deliveryJob is the job of a delivery due delay after it was created.
// The delay, not the due time, is what crosses over: the bridge's clock
// (controllable in tests, skewed on a replica) and River's need not agree,
// and a job scheduled by a clock that runs ahead would sleep for nothing.
func (q *Queue) deliveryJob(id bridge.DeliveryID, lane bridge.Lane, delay time.Duration) river.InsertManyParams {
	opts := &river.InsertOpts{MaxAttempts: 25}
	if lane.ToCustomer() {
		opts.Queue = queueCustomer
	}
	// A short delay (an ordering window) starts the job at once and the
	// job waits it out itself (see inJobWait); a scheduled job would wait
	// for River's next scheduler run, up to 5 s later.
	if delay > q.inJobWait {
		opts.ScheduledAt = time.Now().Add(delay)
	}
	return river.InsertManyParams{Args: DeliverArgs{DeliveryID: int64(id), Lane: string(lane)}, InsertOpts: opts}
}

// insertManyTx inserts the jobs of a transaction's deliveries in one
// statement (Store.InTx calls it just before the commit).
func (q *Queue) insertManyTx(ctx context.Context, tx *sql.Tx, jobs []river.InsertManyParams) error {
	if len(jobs) == 0 {
		return nil
	}
	_, err := q.client.InsertManyTx(ctx, tx, jobs)
	return err
}

// rescueStates are the states in which a lane's rescue job still counts
// as waiting: a finished one must not block the next rescue.
var rescueStates = []rivertype.JobState{rivertype.JobStateAvailable, rivertype.JobStatePending,
	rivertype.JobStateRunning, rivertype.JobStateRetryable, rivertype.JobStateScheduled}

// rescueTx wakes lane with a job for its head, unless a rescue job for the
// lane is still waiting or running.
func (q *Queue) rescueTx(ctx context.Context, tx *sql.Tx, head bridge.DeliveryID, lane bridge.Lane) error {
	opts := &river.InsertOpts{MaxAttempts: 25, UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: rescueStates}}
	if lane.ToCustomer() {
		opts.Queue = queueCustomer
	}
	_, err := q.client.InsertTx(ctx, tx, DeliverArgs{DeliveryID: int64(head), Lane: string(lane)}, opts)
	return err
}

// jobRetryPolicy schedules the retry of a job that returned an error.
// Platform failures never get here (the bridge keeps those on the delivery
// row, with its own backoff): a job fails when the database did not answer
// it. River's default waits attempt⁴ seconds (16 s, then 81 s, then over
// four minutes), all that time with the conversation's lane stopped behind
// the job; the database is usually back within seconds, so retries here
// back off only to half a minute (1, 2, 4 … 30 s, jittered down to half
// so a lost database's jobs do not all return at once).
type jobRetryPolicy struct{}

func (jobRetryPolicy) NextRetry(job *rivertype.JobRow) time.Time {
	return time.Now().Add(jobRetryDelay(len(job.Errors)+1, rand.Float64))
}

// jobRetryDelay is the wait before the retry after the n-th error; rnd
// returns a number in [0, 1).
func jobRetryDelay(n int, rnd func() float64) time.Duration {
	ceiling := 30 * time.Second
	if n <= 5 {
		ceiling = time.Second << max(n-1, 0)
	}
	return ceiling/2 + time.Duration(rnd()*float64(ceiling/2))
}

type deliverWorker struct {
	river.WorkerDefaults[DeliverArgs]
	slot *runnerSlot
	// inJobWait is how much waiting one job does itself (see inJobWait).
	inJobWait time.Duration
}

// inJobWait bounds the short waits a delivery job sits out itself instead
// of snoozing. River v0.51 moves snoozed and scheduled jobs back to
// available only when its scheduler runs, every 5 s (not configurable), so
// a 250 ms ordering window or a Slack Retry-After of 1 s would cost up to
// 5 s more as a snooze. Holding the worker for a moment is cheaper. The
// bound stays within the margin the bridge keeps before the job timeout
// (a tenth of it), so a delivery started after the wait still finishes in
// time; longer waits (retry backoff) snooze and free the worker.
func inJobWait(jobTimeout time.Duration) time.Duration {
	return min(2*time.Second, jobTimeout/20)
}

func (w *deliverWorker) Work(ctx context.Context, job *river.Job[DeliverArgs]) error {
	if w.slot.Runner == nil {
		return river.JobSnooze(time.Second)
	}
	holder := "job-" + strconv.FormatInt(job.ID, 10)
	waited := time.Duration(0)
	for {
		done, wait, err := w.run(ctx, job.Args, holder)
		if ctx.Err() != nil {
			// Shutting down or timed out: hand the job back without spending
			// an attempt; the delivery row still says what is left to do.
			return river.JobSnooze(0)
		}
		if err != nil {
			return err
		}
		if done {
			return nil
		}
		if wait <= 0 || waited+wait > w.inJobWait {
			// wait 0 is a busy lane handed back: behind the other jobs.
			return river.JobSnooze(wait)
		}
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			return river.JobSnooze(0)
		case <-timer.C:
		}
		waited += wait
	}
}

// run runs the job's lane; a job written without its lane (none since
// lanes existed, but the row is the truth) finds it through its delivery.
func (w *deliverWorker) run(ctx context.Context, args DeliverArgs, holder string) (bool, time.Duration, error) {
	if args.Lane == "" {
		return w.slot.RunDelivery(ctx, bridge.DeliveryID(args.DeliveryID), holder)
	}
	return w.slot.RunLane(ctx, bridge.Lane(args.Lane), holder)
}

// QueueDepth counts deliveries not yet done, for /metrics.
func (db *DB) QueueDepth(ctx context.Context) (int, error) {
	var n int
	err := db.GetContext(ctx, &n, `SELECT COUNT(*) FROM deliveries WHERE state = 'queued'`)
	return n, err
}
