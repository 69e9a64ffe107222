package bridge

// CannedTx is the storage contract of canned responses (bridge/canned).
// The canned-responses work fills it in.
type CannedTx interface{}
