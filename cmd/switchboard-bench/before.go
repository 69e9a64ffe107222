package main

import (
	"time"

	"github.com/switchboard/switchboard/storage"
)

// beforeCommit is the commit the figures in before were measured on: main
// when issue 13 was filed.
const beforeCommit = "a19be23"

// before is the table measured on beforeCommit, printed beside each run's
// figures ("before a19be23 | now").
//
// Measured 2026-12-06, 13:33–13:45 UTC, on the bench machine ("vm": 2-vCPU
// AMD EPYC, Linux amd64, PostgreSQL 15.20 on the same two cores,
// synchronous_commit and fsync on), load average 9–12 from other sessions
// compiling and testing on the same cores, so every latency here is
// inflated by waiting for a CPU; compare with a run under a similar load.
// How: a worktree at a19be23 with this command's files copied into its
// cmd/switchboard-bench, plus 427ed3b's storage/stats.go and its counting
// connector in storage.Open (without 427ed3b's binary_parameters change),
// so the statements and commits could be counted; then
//
//	go build -o /tmp/bench-before ./cmd/switchboard-bench
//	/tmp/bench-before -db both -pg postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable -record-before
//
// with the defaults (rates 50,200,300,500,1000, 10 s each, closed loop
// 5 s with 64 senders, 1,000 open conversations, agents answering 20%,
// 10,000 conversations for the memory row, baseline 3 s), pasting what
// -record-before printed. For the statements and commits per message,
// an earlier measurement on a19be23 at 100 msgs/s found 44.1 statements
// and 11.2 commits on PostgreSQL, 45.8 and 11.3 on SQLite: at a lower rate
// the job queue's polls weigh more per message.
var before = map[string]figures{
	storage.Postgres: {
		Rows: []row{
			{Offered: 50, AckP99: 357268 * time.Microsecond, InP99: 5441980 * time.Microsecond, Delivered: 32},
			{Offered: 200, AckP99: 827736 * time.Microsecond, InP99: 27533053 * time.Microsecond, Delivered: 61},
			{Offered: 300, AckP99: 1062005 * time.Microsecond, InP99: 32264081 * time.Microsecond, Delivered: 63},
			{Offered: 500, AckP99: 995300 * time.Microsecond, InP99: 40211384 * time.Microsecond, Delivered: 56},
			{Offered: 1000, AckP99: 827019 * time.Microsecond, InP99: 38516531 * time.Microsecond, Delivered: 70},
			{Offered: 0, AckP99: 735456 * time.Microsecond, InP99: 17333539 * time.Microsecond, Delivered: 75},
		},
		ReplyP99: 1590049 * time.Microsecond, StatementsPerMsg: 40.5, CommitsPerMsg: 9.9,
		PeakRSSMB: 117, ManyRSSMB: 113, ManyConv: 10000,
		ManyRow:  row{Offered: 200, AckP99: 1968017 * time.Microsecond, InP99: 57868252 * time.Microsecond, Delivered: 19},
		Baseline: 1952,
	},
	storage.SQLite: {
		Rows: []row{
			{Offered: 50, AckP99: 1119584 * time.Microsecond, InP99: 11865717 * time.Microsecond, Delivered: 24},
			{Offered: 200, AckP99: 574975 * time.Microsecond, InP99: 13568295 * time.Microsecond, Delivered: 101},
			{Offered: 300, AckP99: 130869 * time.Microsecond, InP99: 10232350 * time.Microsecond, Delivered: 180},
			{Offered: 500, AckP99: 298376 * time.Microsecond, InP99: 22184600 * time.Microsecond, Delivered: 200},
			{Offered: 1000, AckP99: 360061 * time.Microsecond, InP99: 26060479 * time.Microsecond, Delivered: 273},
			{Offered: 0, AckP99: 503812 * time.Microsecond, InP99: 16275510 * time.Microsecond, Delivered: 168},
		},
		ReplyP99: 762434 * time.Microsecond, StatementsPerMsg: 34.9, CommitsPerMsg: 8.0,
		PeakRSSMB: 140, ManyRSSMB: 169, ManyConv: 10000,
		ManyRow:  row{Offered: 200, AckP99: 1051401 * time.Microsecond, InP99: 52593136 * time.Microsecond, Delivered: 32},
		Baseline: 11462,
	},
}
