package report

import (
	"bytes"
	"fmt"
	"image/color"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// Chart size in pixels.
const (
	ChartWidth  = 900
	ChartHeight = 1050
	chartDPI    = 96
)

var (
	chartBlue   = color.RGBA{R: 0x36, G: 0x7c, B: 0xc1, A: 0xff}
	chartOrange = color.RGBA{R: 0xe8, G: 0x7d, B: 0x1e, A: 0xff}
	chartGreen  = color.RGBA{R: 0x3b, G: 0x9b, B: 0x5a, A: 0xff}
)

// Chart draws the digest image for m as a PNG of ChartWidth×ChartHeight
// pixels with three panels: conversations opened by local hour, the daily
// median first response (wall-clock minutes), and each agent's load
// (conversations assigned in the period). Panels without data stay empty
// but keep their titles so the layout never changes.
func Chart(m Metrics, lang string) ([]byte, error) {
	volume, err := volumePlot(m, lang)
	if err != nil {
		return nil, err
	}
	trend, err := trendPlot(m, lang)
	if err != nil {
		return nil, err
	}
	load, err := loadPlot(m, lang)
	if err != nil {
		return nil, err
	}
	img := vgimg.NewWith(vgimg.UseWH(px(ChartWidth), px(ChartHeight)), vgimg.UseDPI(chartDPI),
		vgimg.UseBackgroundColor(color.White))
	dc := draw.New(img)
	tiles := draw.Tiles{Rows: 3, Cols: 1, PadTop: vg.Points(6), PadBottom: vg.Points(6), PadX: vg.Points(8), PadY: vg.Points(14),
		PadLeft: vg.Points(6), PadRight: vg.Points(12)}
	plots := [][]*plot.Plot{{volume}, {trend}, {load}}
	canvases := plot.Align(plots, tiles, dc)
	for i := range plots {
		plots[i][0].Draw(canvases[i][0])
	}
	var buf bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: img}).WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("encode chart: %w", err)
	}
	return buf.Bytes(), nil
}

func px(n int) vg.Length { return vg.Length(n) * vg.Inch / chartDPI }

func volumePlot(m Metrics, lang string) (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text = fmt.Sprintf(label(lang, "chart_volume"), m.Period.Location())
	p.Y.Label.Text = label(lang, "chart_conversations")
	vals := make(plotter.Values, 24)
	for h, n := range m.VolumeByHour {
		vals[h] = float64(n)
	}
	bars, err := plotter.NewBarChart(vals, vg.Points(14))
	if err != nil {
		return nil, fmt.Errorf("volume chart: %w", err)
	}
	bars.Color, bars.LineStyle.Width = chartBlue, 0
	p.Add(bars)
	names := make([]string, 24)
	for h := range names {
		if h%3 == 0 {
			names[h] = fmt.Sprintf("%02d", h)
		}
	}
	p.NominalX(names...)
	p.X.Min, p.X.Max = -0.5, 23.5
	p.Y.Min = 0
	return p, nil
}

func trendPlot(m Metrics, lang string) (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text = label(lang, "chart_trend")
	p.Y.Label.Text = label(lang, "chart_minutes")
	var pts plotter.XYs
	names := make([]string, len(m.FirstResponseTrend))
	for i, d := range m.FirstResponseTrend {
		names[i] = d.Day.Format("01-02")
		if d.Count > 0 {
			pts = append(pts, plotter.XY{X: float64(i), Y: d.Median.Minutes()})
		}
	}
	if len(pts) > 0 {
		line, points, err := plotter.NewLinePoints(pts)
		if err != nil {
			return nil, fmt.Errorf("trend chart: %w", err)
		}
		line.Color, line.Width = chartOrange, vg.Points(2)
		points.Color, points.Shape = chartOrange, draw.CircleGlyph{}
		p.Add(line, points)
	}
	if len(names) > 0 {
		p.NominalX(names...)
		p.X.Min, p.X.Max = -0.5, float64(len(names))-0.5
	}
	p.Y.Min = 0
	return p, nil
}

func loadPlot(m Metrics, lang string) (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text = label(lang, "chart_agents")
	p.Y.Label.Text = label(lang, "chart_conversations")
	const most = 15 // a wider chart is unreadable in a chat
	agents := m.Agents
	if len(agents) > most {
		agents = agents[:most]
	}
	if len(agents) > 0 {
		vals := make(plotter.Values, len(agents))
		names := make([]string, len(agents))
		for i, a := range agents {
			// The chart's font has no emoji: the assistant's row is named in words.
			vals[i], names[i] = float64(a.Assigned), strings.TrimPrefix(AgentLabel(lang, a.Agent), "🤖 ")
		}
		bars, err := plotter.NewBarChart(vals, vg.Points(24))
		if err != nil {
			return nil, fmt.Errorf("load chart: %w", err)
		}
		bars.Color, bars.LineStyle.Width = chartGreen, 0
		p.Add(bars)
		p.NominalX(names...)
		p.X.Min, p.X.Max = -0.5, float64(len(names))-0.5
	}
	p.Y.Min = 0
	return p, nil
}
