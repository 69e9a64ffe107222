package main

import (
	"errors"
	"flag"
	"io"
)

// doctorOptions are the flags of `switchboard doctor` (issue 14): live
// checks of a real setup, each failure with its fix and doc section; a
// non-zero exit on any failure, so it can gate a deployment.
type doctorOptions struct {
	timeout *string
}

func addDoctorFlags(fs *flag.FlagSet) *doctorOptions {
	return &doctorOptions{timeout: fs.String("timeout", "10s", "bound on each check's calls")}
}

func (o *doctorOptions) run(configPath string, stdout io.Writer) error {
	return errors.New("doctor: not built yet (issue 14)")
}
