package bridge

import "context"

// RouteTx is what routing by the LLM classifier needs of storage
// (assist_route.go).
type RouteTx interface {
	// RehomeThread moves a thread that has not been opened yet (no thread
	// key) to another workspace channel: the LLM classifier gave the
	// conversation to another team while its thread waited. A thread
	// already opened is left alone (ErrNotFound).
	RehomeThread(ctx context.Context, threadID int64, ref ThreadRef) error
}
