package slacktest

// TB is the part of testing.TB the fake uses; *testing.T and *testing.B
// satisfy it. It is not testing.TB so that the switchboard binary, whose
// sandbox runs this fake for good (Start), does not link package testing.
type TB interface {
	Helper()
	Fatalf(format string, args ...any)
	Cleanup(func())
}
