package storage

// ParseInt8Array is exported for the table test of the parser.
var ParseInt8Array = parseInt8Array

// ReportEventKinds are the event kinds reports read, as storage lists them.
const ReportEventKinds = reportEventKinds
