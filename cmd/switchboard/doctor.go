package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/switchboard/switchboard/cmd/switchboard/doctor"
)

// doctorOptions are the flags of `switchboard doctor` (issue 14): live
// checks of a real setup, each failure with its fix and doc section; a
// non-zero exit on any failure, so it can gate a deployment.
type doctorOptions struct {
	timeout *string
	// httpClient is what tests give to trust their TLS server; nil in
	// production.
	httpClient *http.Client
}

func addDoctorFlags(fs *flag.FlagSet) *doctorOptions {
	return &doctorOptions{timeout: fs.String("timeout", "10s", "bound on each check's calls")}
}

// run prints the report and returns an error (exit 1) when a check
// failed; a configuration that does not load is that failed check.
func (o *doctorOptions) run(configPath string, stdout io.Writer) error {
	timeout, err := time.ParseDuration(*o.timeout)
	if err != nil || timeout <= 0 {
		return fmt.Errorf("%w: doctor: -timeout %q: want a positive duration such as 10s", errUsage, *o.timeout)
	}
	var report doctor.Report
	if cfg, err := loadConfig(configPath); err != nil {
		report = doctor.Unloadable(err)
	} else {
		report = doctor.Run(context.Background(), cfg, doctor.Options{Timeout: timeout, HTTPClient: o.httpClient})
	}
	if err := report.Write(stdout); err != nil {
		return err
	}
	if failed := len(report.Failures()); failed > 0 {
		return fmt.Errorf("doctor: %d %s failed", failed, map[bool]string{true: "check", false: "checks"}[failed == 1])
	}
	return nil
}
