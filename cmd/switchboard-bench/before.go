package main

// beforeCommit is the commit the figures in before were measured on: main
// when issue 13 was filed.
const beforeCommit = "a19be23"

// before is the table measured on beforeCommit, printed beside each run's
// figures. Not yet recorded.
var before = map[string]figures{}
