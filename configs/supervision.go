package configs

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// CSAT configures a team's satisfaction survey: after a resolution inside
// WhatsApp's 24-hour window the customer gets three reply buttons.
type CSAT struct {
	// Enabled sends the survey (default true).
	Enabled bool `yaml:"enabled"`
	// CommentWindow: a text the customer writes this soon after answering
	// is kept as the survey's comment instead of reopening the
	// conversation. 0 (the default) keeps no comments.
	CommentWindow Duration `yaml:"comment_window"`
}

// SLA is a team's service targets, counted in business time when the team
// has hours. A zero target is not watched.
type SLA struct {
	FirstResponse Duration `yaml:"first_response"`
	NextResponse  Duration `yaml:"next_response"`
	Resolution    Duration `yaml:"resolution"`
	// WarnAt is the fraction of a target at which a warning is posted
	// (default 0.8); 0 posts breaches only.
	WarnAt float64 `yaml:"warn_at"`
}

// Digest schedules a team's metrics digest.
type Digest struct {
	// Daily posts the previous day's figures every day.
	Daily bool `yaml:"daily"`
	// Weekly names the day ("mon" … "sun") the previous 7 days' figures
	// are posted on; empty: no weekly digest.
	Weekly string `yaml:"weekly"`
	// At is the local time of day "HH:MM" (default "09:00").
	At string `yaml:"at"`
	// TimeZone is an IANA name; default: the team's hours.time_zone, else UTC.
	TimeZone string `yaml:"time_zone"`
	// Channel overrides where the digest goes (default: the team's
	// supervisors_channel, else its own channel).
	Channel string `yaml:"channel"`
}

// DefaultDigestAt is when digests are posted unless digest.at says.
const DefaultDigestAt = "09:00"

// DefaultSLAWarnAt is the fraction of a target at which a warning is posted.
const DefaultSLAWarnAt = 0.8

var weekdays = map[string]time.Weekday{
	"sun": time.Sunday, "sunday": time.Sunday, "mon": time.Monday, "monday": time.Monday,
	"tue": time.Tuesday, "tuesday": time.Tuesday, "wed": time.Wednesday, "wednesday": time.Wednesday,
	"thu": time.Thursday, "thursday": time.Thursday, "fri": time.Friday, "friday": time.Friday,
	"sat": time.Saturday, "saturday": time.Saturday,
}

// Enabled reports whether any digest is scheduled.
func (d Digest) Enabled() bool { return d.Daily || d.Weekly != "" }

// Weekday is the day of the weekly digest; ok is false when there is none.
func (d Digest) Weekday() (day time.Weekday, ok bool) {
	day, ok = weekdays[strings.ToLower(strings.TrimSpace(d.Weekly))]
	return day, ok
}

// TimeOfDay is At as a duration past local midnight.
func (d Digest) TimeOfDay() time.Duration {
	v, _ := parseClock(d.At)
	return v
}

// Location is the team's time zone: its hours', else its digest's, else UTC.
func (t Team) Location() *time.Location {
	for _, name := range []string{t.hoursZone(), t.Digest.TimeZone} {
		if name == "" {
			continue
		}
		if loc, err := time.LoadLocation(name); err == nil {
			return loc
		}
	}
	return time.UTC
}

func (t Team) hoursZone() string {
	if t.Hours == nil {
		return ""
	}
	return t.Hours.TimeZone
}

func parseClock(s string) (time.Duration, error) {
	h, m, ok := strings.Cut(strings.TrimSpace(s), ":")
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if !ok || len(m) != 2 || err1 != nil || err2 != nil || hh < 0 || hh > 23 || mm < 0 || mm > 59 {
		return 0, fmt.Errorf("%q is not a time of day; write it like \"09:00\" or \"17:30\"", s)
	}
	return time.Duration(hh)*time.Hour + time.Duration(mm)*time.Minute, nil
}

func (c *Config) supervisionDefaults(d *decoder) {
	for i := range c.Teams {
		t, p := &c.Teams[i], fmt.Sprintf("teams[%d]", i)
		if !d.set[p+".csat.enabled"] {
			t.CSAT.Enabled = true
		}
		if !d.set[p+".sla_targets.warn_at"] {
			t.SLA.WarnAt = DefaultSLAWarnAt
		}
		if t.Digest.At == "" {
			t.Digest.At = DefaultDigestAt
		}
	}
}

// validateSupervision checks the csat, sla, digest and supervisors_channel
// fields of every team.
func (c *Config) validateSupervision(d *decoder) {
	bad := func(path, format string, args ...any) { d.fail(d.lineOf(path), path, format, args...) }
	for i, t := range c.Teams {
		p := fmt.Sprintf("teams[%d]", i)
		checkChannel := func(path, ch string) {
			switch {
			case ch == "":
			case t.DiscordChannel != "" && !digitsRE.MatchString(ch):
				bad(path, "%s is not a Discord channel id (digits, like 1100000000000000001)", d.quote(path, ch))
			case t.DiscordChannel == "" && !slackChannelRE.MatchString(ch):
				bad(path, "%s is not a Slack channel id (like C0123456789); in Slack open the channel, click its name, the id is at the bottom of the About tab", d.quote(path, ch))
			}
		}
		checkChannel(p+".supervisors_channel", t.SupervisorsChannel)
		if w := t.CSAT.CommentWindow.D(); w > 24*time.Hour {
			bad(p+".csat.comment_window", "must be at most 24h (WhatsApp's customer window); e.g. 10m")
		}
		if w := t.SLA.WarnAt; w < 0 || w >= 1 {
			bad(p+".sla_targets.warn_at", "must be a fraction from 0 up to (not including) 1, e.g. 0.8 to warn at 80%% of a target; 0 warns never")
		}
		dg := t.Digest
		if _, ok := dg.Weekday(); dg.Weekly != "" && !ok {
			bad(p+".digest.weekly", "%s is not a day; write mon, tue, wed, thu, fri, sat or sun (or leave it empty for no weekly digest)", d.quote(p+".digest.weekly", dg.Weekly))
		}
		if _, err := parseClock(dg.At); err != nil {
			bad(p+".digest.at", "%v", err)
		}
		if dg.TimeZone != "" {
			if _, err := time.LoadLocation(dg.TimeZone); err != nil {
				bad(p+".digest.time_zone", "unknown time zone %s (use an IANA name such as Europe/Madrid)", d.quote(p+".digest.time_zone", dg.TimeZone))
			}
		}
		checkChannel(p+".digest.channel", dg.Channel)
	}
}

// supervisionSummary is the check-config line of a team's survey, targets
// and digests.
func (t Team) supervisionSummary() string {
	csat := "csat off"
	if t.CSAT.Enabled {
		csat = "csat on"
		if t.CSAT.CommentWindow > 0 {
			csat += fmt.Sprintf(" (comments for %s)", t.CSAT.CommentWindow)
		}
	}
	var targets []string
	for _, x := range []struct {
		name string
		d    Duration
	}{{"first response", t.SLA.FirstResponse}, {"next response", t.SLA.NextResponse}, {"resolution", t.SLA.Resolution}} {
		if x.d > 0 {
			targets = append(targets, x.name+" "+x.d.String())
		}
	}
	sla := "no sla targets"
	if len(targets) > 0 {
		sla = fmt.Sprintf("sla %s, warning at %.0f%%", strings.Join(targets, " / "), 100*t.SLA.WarnAt)
	}
	digest := "no digest"
	if t.Digest.Enabled() {
		var when []string
		if t.Digest.Daily {
			when = append(when, "daily")
		}
		if t.Digest.Weekly != "" {
			when = append(when, "weekly on "+t.Digest.Weekly)
		}
		where := t.Digest.Channel
		if where == "" {
			where = t.SupervisorsChannel
		}
		if where == "" {
			where = "the team's channel"
		}
		digest = fmt.Sprintf("digest %s at %s %s to %s", strings.Join(when, " and "), t.Digest.At, t.Location(), where)
	}
	sup := ""
	if t.SupervisorsChannel != "" {
		sup = ", supervisors' channel " + t.SupervisorsChannel
	}
	return csat + ", " + sla + ", " + digest + sup
}
