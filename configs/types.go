package configs

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// Duration is a time.Duration written in the configuration as a Go duration
// ("30s", "1h30m") or with a day suffix ("7d", "1d12h"). A bare number
// other than 0 is rejected: "30" could mean seconds or minutes.
type Duration time.Duration

// D returns d as a time.Duration.
func (d Duration) D() time.Duration { return time.Duration(d) }

// UnmarshalYAML implements yaml.Unmarshaler.
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return fmt.Errorf("expected a duration such as \"30s\", \"24h\" or \"7d\"")
	}
	v, err := ParseDuration(n.Value)
	if err != nil {
		return err
	}
	*d = Duration(v)
	return nil
}

func (*Duration) hint() string { return `expected a duration such as "30s", "24h" or "7d"` }

// MarshalYAML implements yaml.Marshaler, writing the form String returns.
func (d Duration) MarshalYAML() (any, error) { return d.String(), nil }

// String writes d compactly: "24h", "30s", "7d", "1h30m". Whole days are
// written in days from two days up.
func (d Duration) String() string {
	t := time.Duration(d)
	if t == 0 {
		return "0s"
	}
	day := 24 * time.Hour
	if t >= 2*day && t%day == 0 {
		return strconv.FormatInt(int64(t/day), 10) + "d"
	}
	s := t.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// ParseDuration parses a Go duration that may also use "d" for 24 hours.
// Negative durations are rejected.
func ParseDuration(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	bad := fmt.Errorf("%q is not a duration; write it like \"30s\", \"15m\", \"24h\" or \"7d\"", truncate(s, 40))
	if s == "" {
		return 0, bad
	}
	if s == "0" {
		return 0, nil
	}
	if _, err := strconv.ParseFloat(s, 64); err == nil {
		return 0, fmt.Errorf("%q has no unit; write it like \"%ss\" or \"%sh\"", s, s, s)
	}
	if strings.HasPrefix(s, "-") {
		return 0, fmt.Errorf("%q is negative; durations must be 0 or more", truncate(s, 40))
	}
	// Turn every "<number>d" into hours; no Go unit contains a "d".
	var b strings.Builder
	num := 0 // start of the current number in s
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= '0' && c <= '9' || c == '.' {
			continue
		}
		if c == 'd' {
			days, err := strconv.ParseFloat(s[num:i], 64)
			if err != nil || s[num:i] == "" {
				return 0, bad
			}
			b.WriteString(strconv.FormatFloat(days*24, 'f', -1, 64))
			b.WriteString("h")
			num = i + 1
			continue
		}
		// A Go unit: copy the number and the unit letters.
		j := i
		for j < len(s) && !(s[j] >= '0' && s[j] <= '9' || s[j] == '.') {
			j++
		}
		b.WriteString(s[num:j])
		num = j
		i = j - 1
	}
	b.WriteString(s[num:])
	v, err := time.ParseDuration(b.String())
	if err != nil {
		return 0, bad
	}
	return v, nil
}

// ByteSize is a number of bytes, written as a whole number (1048576) or with
// a unit: B, KB, MB, GB (powers of 1000) or KiB, MiB, GiB (powers of 1024).
type ByteSize int64

// UnmarshalYAML implements yaml.Unmarshaler.
func (b *ByteSize) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return fmt.Errorf("expected a size such as 1048576 or \"100MiB\"")
	}
	v, err := ParseByteSize(n.Value)
	if err != nil {
		return err
	}
	*b = ByteSize(v)
	return nil
}

func (*ByteSize) hint() string { return `expected a size such as 1048576 or "100MiB"` }

// MarshalYAML implements yaml.Marshaler.
func (b ByteSize) MarshalYAML() (any, error) { return int64(b), nil }

var byteUnits = []struct {
	suffix string
	mult   int64
}{
	// Longest suffixes first so "MiB" is not read as "B".
	{"kib", 1 << 10}, {"mib", 1 << 20}, {"gib", 1 << 30},
	{"kb", 1000}, {"mb", 1000 * 1000}, {"gb", 1000 * 1000 * 1000},
	{"b", 1},
}

// ParseByteSize parses a whole number of bytes with an optional unit.
func ParseByteSize(s string) (int64, error) {
	t := strings.ToLower(strings.ReplaceAll(strings.TrimSpace(s), "_", ""))
	mult := int64(1)
	for _, u := range byteUnits {
		if strings.HasSuffix(t, u.suffix) {
			t, mult = strings.TrimSpace(strings.TrimSuffix(t, u.suffix)), u.mult
			break
		}
	}
	v, err := strconv.ParseInt(t, 10, 64)
	if err != nil || v < 0 {
		return 0, fmt.Errorf("%q is not a size; write a whole number of bytes or use a unit, e.g. \"1MiB\" or \"100MiB\"", truncate(s, 40))
	}
	if v > (1<<62)/mult {
		return 0, fmt.Errorf("%q is too large", truncate(s, 40))
	}
	return v * mult, nil
}

// String writes b with the largest binary unit that divides it.
func (b ByteSize) String() string {
	for _, u := range []struct {
		name string
		mult int64
	}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}} {
		if int64(b) >= u.mult && int64(b)%u.mult == 0 {
			return fmt.Sprintf("%d %s", int64(b)/u.mult, u.name)
		}
	}
	return fmt.Sprintf("%d B", int64(b))
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
