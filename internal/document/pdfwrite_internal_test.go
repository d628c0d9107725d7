package document

import (
	"bytes"
	"math"
	"math/rand/v2"
	"strconv"
	"sync"
	"testing"

	"golang.org/x/image/font/sfnt"
)

// TestAppendNumMatchesFmt: the writer's own number formatting gives exactly what %.2f and %.3f give (the
// PDF's bytes must not depend on which path formatted a coordinate), on random coordinates, on values whose
// scaled form lies at or near a half, and on signed zeros and large values that strconv formats.
func TestAppendNumMatchesFmt(t *testing.T) {
	r := rand.New(rand.NewPCG(19, 3))
	vals := []float64{0, math.Copysign(0, -1), -0.001, 0.005, 0.015, 0.125, 0.0005, 1.005, 2.675, 841.89, 595.28,
		0.9995, 0.9994999, 0.49999999, 1e9, -1e9, 1e12, math.Inf(1), math.NaN()}
	for i := 0; i < 200_000; i++ {
		switch i % 3 {
		case 0:
			vals = append(vals, (r.Float64()-0.3)*2000)
		case 1:
			vals = append(vals, float64(r.IntN(2_000_000))/1000+float64(r.IntN(3))*0.0005)
		default:
			vals = append(vals, float64(r.IntN(100_000))/100*ptCM)
		}
	}
	for _, v := range vals {
		for _, prec := range []int{2, 3} {
			if got, want := string(appendNum(nil, v, prec)), strconv.FormatFloat(v, 'f', prec, 64); got != want {
				t.Fatalf("appendNum(%v, %d) = %s, want %s", v, prec, got, want)
			}
		}
	}
}

// TestGlyphTable: the glyphs looked up once when the font is parsed and the rarer ones looked up on demand
// are the font's own.
func TestGlyphTable(t *testing.T) {
	fonts, err := loadFonts()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fonts {
		for _, r := range []rune{' ', 'A', 'à', '’', '–', '€', '™', commonRunes - 1, commonRunes, '→', '≤', 0x1F600, -1} {
			var b sfnt.Buffer
			if got, want := f.glyph(r), f.lookup(&b, r); got != want {
				t.Errorf("%s %U: glyph %+v, want %+v", f.name, r, got, want)
			}
		}
		if f.glyph('A').id == 0 || f.glyph('≤').id == 0 {
			t.Errorf("%s lacks A or ≤", f.name)
		}
	}
}

// TestConcurrentPDFs: downloads write PDFs at the same time with the same fonts (their glyph tables and the
// map of rarer runes are shared); each gives the bytes a lone write gives. Run with -race.
func TestConcurrentPDFs(t *testing.T) {
	d := &Document{Title: "Concorrenza", Language: "it-IT", Watermark: "BOZZA", Blocks: []Block{
		&Paragraph{Text: "Soglie ≤ 3 → ≥ 5, ∑ e ∞"},
		&Table{Header: []string{"A", "B"}, Rows: [][]Cell{{Text("≠ uno"), {Text: "√ due", Bold: true}}}},
	}}
	var want bytes.Buffer
	if err := WritePDF(&want, d); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			var got bytes.Buffer
			if err := WritePDF(&got, d); err != nil {
				t.Error(err)
			} else if !bytes.Equal(got.Bytes(), want.Bytes()) {
				t.Error("a concurrent write gave different bytes")
			}
		})
	}
	wg.Wait()
}
