package console

import (
	"fmt"
	"html"
	"html/template"
	"strings"
)

// Series is one coloured part of a bar chart.
type Series struct {
	Name   string
	Color  string
	Values []float64 // one per label
}

// BarChart is a chart of bars, one group per label: stacked series (one
// bar per label, the series on top of each other) or side by side.
type BarChart struct {
	Title   string
	Labels  []string
	Series  []Series
	Stacked bool
	Unit    string // shown after values in tooltips ("ms")
}

const (
	chartW, chartH = 640, 220
	padL, padR     = 44, 8
	padT, padB     = 10, 34
)

// SVG draws the chart as inline SVG: no script, no external resource. Each
// bar carries a <title> with its value; the data itself is in the table
// the page shows beside the chart.
func (c BarChart) SVG() template.HTML {
	var b strings.Builder
	top := 0.0
	for i := range c.Labels {
		sum := 0.0
		for _, s := range c.Series {
			v := at(s.Values, i)
			if c.Stacked {
				sum += v
			} else {
				sum = max(sum, v)
			}
		}
		top = max(top, sum)
	}
	step := niceStep(top)
	lines := max(1, int(top/step+0.999999))
	scale := step * float64(lines)
	plotW, plotH := float64(chartW-padL-padR), float64(chartH-padT-padB)
	fmt.Fprintf(&b, `<svg class="chart" viewBox="0 0 %d %d" role="img" aria-label="%s">`,
		chartW, chartH, html.EscapeString(c.Title))
	fmt.Fprintf(&b, `<title>%s</title>`, html.EscapeString(c.Title))
	// Grid lines and their values.
	for i := 0; i <= lines; i++ {
		v := step * float64(i)
		y := float64(padT) + plotH - plotH*float64(i)/float64(lines)
		fmt.Fprintf(&b, `<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" stroke="#ccc" stroke-width="1"/>`, padL, chartW-padR, y, y)
		fmt.Fprintf(&b, `<text x="%d" y="%.1f" font-size="11" text-anchor="end" fill="#555">%s</text>`, padL-4, y+4, num(v))
	}
	n := max(len(c.Labels), 1)
	slot := plotW / float64(n)
	barW := min(slot*0.7, 72)
	every := max(1, (n+11)/12) // at most about 12 labels under the axis
	for i, l := range c.Labels {
		x := float64(padL) + slot*float64(i) + (slot-barW)/2
		y := float64(padT) + plotH
		w := barW
		if !c.Stacked && len(c.Series) > 0 {
			w = barW / float64(len(c.Series))
		}
		for j, s := range c.Series {
			v := at(s.Values, i)
			h := 0.0
			if scale > 0 {
				h = plotH * v / scale
			}
			bx := x
			by := y - h
			if c.Stacked {
				y = by
			} else {
				bx = x + w*float64(j)
				by = float64(padT) + plotH - h
			}
			if v <= 0 {
				continue
			}
			fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"><title>%s, %s: %s%s</title></rect>`,
				bx, by, w, h, html.EscapeString(s.Color), html.EscapeString(l), html.EscapeString(s.Name), num(v), html.EscapeString(c.Unit))
		}
		if i%every == 0 {
			fmt.Fprintf(&b, `<text x="%.1f" y="%d" font-size="11" text-anchor="middle" fill="#555">%s</text>`,
				float64(padL)+slot*float64(i)+slot/2, chartH-padB+14, html.EscapeString(shortDate(l)))
		}
	}
	// Legend.
	lx := float64(padL)
	for _, s := range c.Series {
		fmt.Fprintf(&b, `<rect x="%.1f" y="%d" width="10" height="10" fill="%s"/>`, lx, chartH-12, html.EscapeString(s.Color))
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" font-size="11" fill="#333">%s</text>`, lx+14, chartH-3, html.EscapeString(s.Name))
		lx += 22 + 7*float64(len(s.Name))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String()) // every value above is escaped
}

func at(v []float64, i int) float64 {
	if i < len(v) {
		return v[i]
	}
	return 0
}

// niceStep is the step of the grid for values up to top: 1, 2 or 5
// times a power of ten (at least 1), so that at most five lines cover top.
func niceStep(top float64) float64 {
	p := 1.0
	for {
		for _, m := range []float64{1, 2, 5} {
			if top <= 5*m*p {
				return m * p
			}
		}
		p *= 10
	}
}

func num(v float64) string {
	if v == float64(int64(v)) {
		return fmt.Sprintf("%d", int64(v))
	}
	return fmt.Sprintf("%.1f", v)
}

// shortDate writes 2026-03-04 as 03-04 under the axis.
func shortDate(s string) string {
	if len(s) == 10 && s[4] == '-' {
		return s[5:]
	}
	return s
}
