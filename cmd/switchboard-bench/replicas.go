package main

import (
	"fmt"
	"os"

	"github.com/switchboard/switchboard/storage"
)

// replicaRun is one closed-loop measurement with n replicas.
type replicaRun struct {
	n                    int
	ph                   phase
	lost, dups, disorder int
}

// runReplicas measures the saturated throughput of one replica, then of
// p.replicas replicas on one PostgreSQL database (each a fresh database,
// warm-up included), the load generator spreading webhooks and Slack
// events over them in turn, as a round-robin proxy would.
func runReplicas(p params) ([]replicaRun, error) {
	var runs []replicaRun
	for _, n := range []int{1, p.replicas} {
		in, err := startInstance(storage.Postgres, p, p.conversations, n)
		if err != nil {
			return runs, err
		}
		fmt.Fprintf(os.Stderr, "replicas %d: opening %d conversations\n", n, p.conversations)
		if err := in.warmUp(p); err != nil {
			fmt.Fprintf(os.Stderr, "replicas %d: warm-up: %v; measuring anyway\n", n, err)
		}
		fmt.Fprintf(os.Stderr, "replicas %d: saturating for %s with %d senders\n", n, p.saturate, p.workers)
		r := replicaRun{n: n, ph: in.measure(0, p.saturate, p)}
		r.lost, r.dups, r.disorder = audit(in.cs, in.obs)
		in.close()
		runs = append(runs, r)
	}
	return runs, nil
}

func printReplicas(runs []replicaRun, p params) {
	fmt.Printf("== replicas on one PostgreSQL: closed loop, %d senders, %s, %d open conversations, agents answer %.0f%%\n\n",
		p.workers, p.saturate, p.conversations, 100*p.agentsReply)
	fmt.Println("| replicas | acknowledged msgs/s | delivered msgs/s | webhook → Slack p99 | ratio to one replica | lost / doubled / out of order |")
	fmt.Println("|---:|---:|---:|---:|---:|---|")
	for _, r := range runs {
		fmt.Printf("| %d | %s | %s | %s | %.2f× | %d / %d / %d |\n", r.n, thousands(r.ph.ackRate), thousands(r.ph.deliverRate),
			fmtDur(r.ph.inP99), r.ph.deliverRate/runs[0].ph.deliverRate, r.lost, r.dups, r.disorder)
	}
	fmt.Println()
}
