package discord

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// The messages whose authors were told to send them again are forgotten
// after toldKeep, so the set does not grow for as long as the process
// runs; the recent ones are still recognised.
func TestRecoveryForgetsToldMessagesAfterToldKeep(t *testing.T) {
	var r recovery
	r.init()
	now := time.Now()
	r.mu.Lock()
	defer r.mu.Unlock()
	r.tellLocked("1", now.Add(-toldKeep-time.Minute))
	r.tellLocked("2", now.Add(-toldKeep+time.Minute))
	r.tellLocked("3", now)
	require.False(t, r.toldLocked("1"), "told over toldKeep ago: forgotten")
	require.True(t, r.toldLocked("2"))
	require.True(t, r.toldLocked("3"))
	require.Len(t, r.told, 2)
}
