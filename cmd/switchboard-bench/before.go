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
// Measured 2026-12-06, 14:38–14:50 UTC, on the bench machine ("vm": 2-vCPU
// AMD EPYC, Linux amd64, PostgreSQL 15.20 on the same two cores,
// synchronous_commit and fsync on) with nothing else running, just before
// the "now" run the README reports (a first recording at 13:33, with other
// sessions compiling on the same cores, was 20-40% slower).
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
			{Offered: 50, AckP99: 213156 * time.Microsecond, InP99: 818493 * time.Microsecond, Delivered: 47},
			{Offered: 200, AckP99: 836080 * time.Microsecond, InP99: 18847383 * time.Microsecond, Delivered: 82},
			{Offered: 300, AckP99: 340697 * time.Microsecond, InP99: 22887849 * time.Microsecond, Delivered: 108},
			{Offered: 500, AckP99: 627548 * time.Microsecond, InP99: 35420782 * time.Microsecond, Delivered: 100},
			{Offered: 1000, AckP99: 663419 * time.Microsecond, InP99: 29019801 * time.Microsecond, Delivered: 109},
			{Offered: 0, AckP99: 592887 * time.Microsecond, InP99: 17596494 * time.Microsecond, Delivered: 98},
		},
		ReplyP99: 1486639 * time.Microsecond, StatementsPerMsg: 37.0, CommitsPerMsg: 8.8,
		PeakRSSMB: 118, ManyRSSMB: 126, ManyConv: 10000,
		ManyRow:  row{Offered: 200, AckP99: 522913 * time.Microsecond, InP99: 83310336 * time.Microsecond, Delivered: 20},
		Baseline: 3138,
	},
	storage.SQLite: {
		Rows: []row{
			{Offered: 50, AckP99: 14600 * time.Microsecond, InP99: 59563 * time.Microsecond, Delivered: 50},
			{Offered: 200, AckP99: 53522 * time.Microsecond, InP99: 273247 * time.Microsecond, Delivered: 200},
			{Offered: 300, AckP99: 71088 * time.Microsecond, InP99: 7577182 * time.Microsecond, Delivered: 202},
			{Offered: 500, AckP99: 103257 * time.Microsecond, InP99: 13084366 * time.Microsecond, Delivered: 271},
			{Offered: 1000, AckP99: 374608 * time.Microsecond, InP99: 22495573 * time.Microsecond, Delivered: 315},
			{Offered: 0, AckP99: 342376 * time.Microsecond, InP99: 13664628 * time.Microsecond, Delivered: 275},
		},
		ReplyP99: 994457 * time.Microsecond, StatementsPerMsg: 35.5, CommitsPerMsg: 8.1,
		PeakRSSMB: 136, ManyRSSMB: 190, ManyConv: 10000,
		ManyRow:  row{Offered: 200, AckP99: 120317 * time.Microsecond, InP99: 26525140 * time.Microsecond, Delivered: 55},
		Baseline: 20616,
	},
}
