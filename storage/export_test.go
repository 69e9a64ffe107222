package storage

// ParseInt8Array is exported for the table test of the parser.
var ParseInt8Array = parseInt8Array
