package main

import (
	"fmt"
	"sync"
	"testing"
)

// fakeTB is the little of testing.TB the platform fakes use (Cleanup,
// Helper, Fatalf), so the benchmark can run them outside a test. The
// embedded nil interface supplies testing.TB's unexported method; any
// other method panics, which would be a bug in this command.
type fakeTB struct {
	testing.TB
	mu       sync.Mutex
	cleanups []func()
}

func (t *fakeTB) Helper() {}

func (t *fakeTB) Cleanup(f func()) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.cleanups = append(t.cleanups, f)
}

func (t *fakeTB) Fatalf(format string, args ...any) { panic(fmt.Sprintf(format, args...)) }

func (t *fakeTB) Fatal(args ...any) { panic(fmt.Sprint(args...)) }

// close runs the cleanups, last registered first.
func (t *fakeTB) close() {
	t.mu.Lock()
	fs := t.cleanups
	t.cleanups = nil
	t.mu.Unlock()
	for i := len(fs) - 1; i >= 0; i-- {
		fs[i]()
	}
}
