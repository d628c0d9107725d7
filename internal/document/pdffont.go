package document

import (
	"bytes"
	"compress/zlib"
	_ "embed"
	"fmt"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// The PDF embeds Liberation Sans (SIL Open Font License 1.1, fonts/LICENSE), the font the ODT and DOCX name:
// shipped in the binary so the PDF looks the same on every server, with nothing to install.
var (
	//go:embed fonts/LiberationSans-Regular.ttf
	liberationRegular []byte
	//go:embed fonts/LiberationSans-Bold.ttf
	liberationBold []byte
)

// glyph is a font's glyph for a rune: its index and advance in thousandths of the font size.
type glyph struct {
	id  uint16
	adv float64
}

// pdfFont is a parsed TrueType font shared by every PDF: metrics for layout, the compressed file to embed.
type pdfFont struct {
	name                       string // PostScript name
	data                       []byte
	f                          *sfnt.Font
	upem                       float64
	ascent, descent, capHeight int // thousandths of the font size
	bbox                       [4]int
	numGlyphs                  int
	// common holds the glyph of every rune below commonRunes (Latin, punctuation, symbols: all the text of a
	// register), filled once when the font is parsed, so that laying out and writing text costs an array read
	// per character; rarer runes go through the map under the lock.
	common     []glyph
	mu         sync.Mutex
	glyphs     map[rune]glyph
	zipped     []byte
	zipOnce    sync.Once
	outlineMu  sync.Mutex
	outlineBuf sfnt.Buffer
}

var (
	fontsOnce sync.Once
	fontsErr  error
	fontSet   [2]*pdfFont // regular, bold
)

// loadFonts parses the two embedded faces once.
func loadFonts() ([2]*pdfFont, error) {
	fontsOnce.Do(func() {
		for i, src := range []struct {
			name string
			data []byte
		}{{"LiberationSans", liberationRegular}, {"LiberationSans-Bold", liberationBold}} {
			f, err := sfnt.Parse(src.data)
			if err != nil {
				fontsErr = fmt.Errorf("document: embedded font %s: %w", src.name, err)
				return
			}
			pf := &pdfFont{name: src.name, data: src.data, f: f, upem: float64(f.UnitsPerEm()), numGlyphs: f.NumGlyphs(), glyphs: map[rune]glyph{}}
			var b sfnt.Buffer
			pf.common = make([]glyph, commonRunes)
			for r := range pf.common {
				pf.common[r] = pf.lookup(&b, rune(r))
			}
			ppem := fixed.I(int(f.UnitsPerEm()))
			m, err := f.Metrics(&b, ppem, font.HintingNone)
			if err != nil {
				fontsErr = err
				return
			}
			pf.ascent, pf.descent, pf.capHeight = pf.k(m.Ascent), -pf.k(m.Descent), pf.k(m.CapHeight)
			r, err := f.Bounds(&b, ppem, font.HintingNone)
			if err != nil {
				fontsErr = err
				return
			}
			// sfnt's bounds grow downwards (y flipped); the PDF's upwards.
			pf.bbox = [4]int{pf.k(r.Min.X), -pf.k(r.Max.Y), pf.k(r.Max.X), -pf.k(r.Min.Y)}
			fontSet[i] = pf
		}
	})
	return fontSet, fontsErr
}

// k converts font units at ppem = units per em (26.6) to thousandths of the font size.
func (f *pdfFont) k(v fixed.Int26_6) int { return int(float64(v) / 64 * 1000 / f.upem) }

// commonRunes bounds the runes whose glyphs are looked up once, when the font is parsed: up to the end of the
// General Punctuation, currency and letterlike blocks (’ “ ” – — … € № ™).
const commonRunes = 0x2150

// glyph returns the glyph of a rune (index 0, the missing glyph, when the font has none).
func (f *pdfFont) glyph(r rune) glyph {
	if uint32(r) < commonRunes { // small enough to be inlined where text is measured and written
		return f.common[r]
	}
	return f.rareGlyph(r)
}

// rareGlyph returns the glyph of a rune beyond commonRunes, looked up once and kept.
func (f *pdfFont) rareGlyph(r rune) glyph {
	f.mu.Lock()
	defer f.mu.Unlock()
	g, ok := f.glyphs[r]
	if !ok {
		var b sfnt.Buffer
		g = f.lookup(&b, r)
		f.glyphs[r] = g
	}
	return g
}

// lookup reads a rune's glyph from the font's tables.
func (f *pdfFont) lookup(b *sfnt.Buffer, r rune) glyph {
	id, err := f.f.GlyphIndex(b, r)
	if err != nil {
		id = 0
	}
	adv, err := f.f.GlyphAdvance(b, id, fixed.I(int(f.upem)), font.HintingNone)
	if err != nil {
		adv = 0
	}
	return glyph{id: uint16(id), adv: float64(adv) / 64 * 1000 / f.upem}
}

// width is the width of s in points at the given size.
func (f *pdfFont) width(s string, size float64) float64 {
	w := 0.0
	for _, r := range s {
		w += f.glyph(r).adv
	}
	return w * size / 1000
}

// compressed is the font file deflated for /FontFile2, computed once.
func (f *pdfFont) compressed() []byte {
	f.zipOnce.Do(func() {
		var b bytes.Buffer
		z := zlib.NewWriter(&b)
		_, _ = z.Write(f.data) // writes to memory cannot fail
		_ = z.Close()
		f.zipped = b.Bytes()
	})
	return f.zipped
}

// outline returns the path of a text as PDF path operators (moveto/lineto/curveto), at size points with its
// baseline origin at (x, y): used for the watermark, which is decoration and must not be read as text.
func (f *pdfFont) outline(s string, x, y, size float64) string {
	f.outlineMu.Lock()
	defer f.outlineMu.Unlock()
	var b bytes.Buffer
	scale := size / f.upem
	for _, r := range s {
		g := f.glyph(r)
		segs, err := f.f.LoadGlyph(&f.outlineBuf, sfnt.GlyphIndex(g.id), fixed.I(int(f.upem)), nil)
		if err == nil {
			pt := func(px, py float64) string {
				return fmt.Sprintf("%.2f %.2f", x+px/64*scale, y-py/64*scale)
			}
			var cx, cy float64 // the current point, in font units (26.6)
			for _, sg := range segs {
				a := func(i int) (float64, float64) { return float64(sg.Args[i].X), float64(sg.Args[i].Y) }
				switch sg.Op {
				case sfnt.SegmentOpMoveTo:
					cx, cy = a(0)
					fmt.Fprintf(&b, "%s m\n", pt(cx, cy))
				case sfnt.SegmentOpLineTo:
					cx, cy = a(0)
					fmt.Fprintf(&b, "%s l\n", pt(cx, cy))
				case sfnt.SegmentOpQuadTo:
					// PDF draws cubic curves: the quadratic's control point q becomes two at two thirds.
					qx, qy := a(0)
					ex, ey := a(1)
					fmt.Fprintf(&b, "%s %s %s c\n", pt(cx+2*(qx-cx)/3, cy+2*(qy-cy)/3), pt(ex+2*(qx-ex)/3, ey+2*(qy-ey)/3), pt(ex, ey))
					cx, cy = ex, ey
				case sfnt.SegmentOpCubeTo:
					x1, y1 := a(0)
					x2, y2 := a(1)
					cx, cy = a(2)
					fmt.Fprintf(&b, "%s %s %s c\n", pt(x1, y1), pt(x2, y2), pt(cx, cy))
				}
			}
		}
		x += g.adv * size / 1000
	}
	return b.String()
}
