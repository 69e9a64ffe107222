package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"image"
	"image/png"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func supportWeek(t *testing.T) Metrics {
	facts := seed(t)
	week := LastDays(facts.Now, madrid(t), 7)
	return Compute(facts, week, Filter{Team: "support", ByAgent: true},
		Options{Hours: testHours(t), Targets: Targets{FirstResponse: time.Hour, NextResponse: 30 * time.Minute, Resolution: 8 * time.Hour}})
}

func TestTable(t *testing.T) {
	t.Parallel()
	got := supportWeek(t).Table("en")
	t.Log("\n" + got)
	for _, want := range []string{
		"support · 2025-03-24 00:00 → 2025-03-30 23:59 (Europe/Madrid)",
		"Received           5   Resolved         3",
		"Transfer in        0   Transfer out     1",
		"First response      10m   16h30m     4",
		"  business hrs      10m    1h30m     4",
		"Backlog now    2 open · 1 unassigned · 1 waiting · oldest 1d10h (#4) · 1 past SLA",
		"CSAT           2.5 · 67% answered (2/3)",
		"SLA met        first ≤1h00m 75% · next ≤30m 100% · resolution ≤8h00m 100%",
		"U2        2     4     2      20m       30m     0   2.0",
	} {
		require.Contains(t, got, want)
	}
	for _, line := range strings.Split(got, "\n") {
		require.LessOrEqual(t, len([]rune(line)), 90, "a line wider than a chat bubble: %q", line)
	}
	t.Run("Spanish, with columns as wide as its words", func(t *testing.T) {
		es := supportWeek(t).Table("es")
		t.Log("\n" + es)
		for _, want := range []string{"Recibidas", "1.ª respuesta", "  h. laborables", "Pendientes ahora 2 abiertas", "Agente"} {
			require.Contains(t, es, want)
		}
		// The right-hand labels of the counts start in one column, and so
		// do the medians.
		column := func(word string) int {
			for _, line := range strings.Split(es, "\n") {
				if i := strings.Index(line, word); i >= 0 {
					return len([]rune(line[:i]))
				}
			}
			t.Fatalf("%q not in the table", word)
			return 0
		}
		require.Equal(t, column("Resueltas"), column("Reabiertas"))
		require.Equal(t, column("Resueltas"), column("Transf. salida"))
		require.Equal(t, column("Recibidas")+len([]rune("Pendientes ahora ")), column("2 abiertas"))
		require.Contains(t, es, "1.ª respuesta         10m   16h30m     4")
		require.Contains(t, es, "  h. laborables       10m    1h30m     4")
	})
	t.Run("an unknown language falls back to English", func(t *testing.T) {
		require.Equal(t, got, supportWeek(t).Table("xx"))
	})
	t.Run("no agent rows unless asked", func(t *testing.T) {
		m := supportWeek(t)
		m.Filter.ByAgent = false
		require.NotContains(t, m.Table("en"), "Asgn")
	})
}

func TestHuman(t *testing.T) {
	t.Parallel()
	for in, want := range map[time.Duration]string{
		45 * time.Second: "45s", 12 * time.Minute: "12m", 65 * time.Minute: "1h05m", 51 * time.Hour: "2d03h",
	} {
		require.Equal(t, want, Human(in))
	}
}

func TestExport(t *testing.T) {
	t.Parallel()
	m := supportWeek(t)
	t.Run("CSV has a header and one line per row", func(t *testing.T) {
		var buf bytes.Buffer
		require.NoError(t, m.WriteCSV(&buf))
		records, err := csv.NewReader(&buf).ReadAll()
		require.NoError(t, err)
		require.Equal(t, []string{"from", "to", "team", "scope", "metric", "value"}, records[0])
		require.Len(t, records, len(m.Rows())+1)
		require.Contains(t, records, []string{"2025-03-24T00:00:00+01:00", "2025-03-31T00:00:00+02:00", "support", "all", "first_response_median_seconds", "600"})
		require.Contains(t, records, []string{"2025-03-24T00:00:00+01:00", "2025-03-31T00:00:00+02:00", "support", "agent:U2", "resolved", "2"})
	})
	t.Run("JSON carries the same rows", func(t *testing.T) {
		var buf bytes.Buffer
		require.NoError(t, m.WriteJSON(&buf))
		var doc Export
		require.NoError(t, json.Unmarshal(buf.Bytes(), &doc))
		require.Equal(t, "support", doc.Team)
		require.Equal(t, m.Rows(), doc.Rows)
		require.Contains(t, doc.Rows, Row{"all", "sla_first_response_attainment", 0.75})
		require.Contains(t, doc.Rows, Row{"all", "csat_average", 2.5})
	})
}

func TestChart(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		m    Metrics
	}{
		{"the seeded week", supportWeek(t)},
		{"a period without data still draws its panels", Compute(Facts{}, Today(time.Date(2025, 3, 30, 12, 0, 0, 0, time.UTC), madrid(t)), Filter{}, Options{})},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			data, err := Chart(tc.m, "es")
			require.NoError(t, err)
			img, err := png.Decode(bytes.NewReader(data))
			require.NoError(t, err, "the chart is a PNG")
			require.Equal(t, image.Rect(0, 0, ChartWidth, ChartHeight), img.Bounds())
			require.Greater(t, colours(img, 3), 2, "the chart is not blank")
		})
	}
}

// colours counts the distinct colours of img, stopping once it has seen
// more than enough.
func colours(img image.Image, enough int) int {
	seen := map[[4]uint32]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			r, g, bl, a := img.At(x, y).RGBA()
			seen[[4]uint32{r, g, bl, a}] = true
			if len(seen) > enough {
				return len(seen)
			}
		}
	}
	return len(seen)
}
