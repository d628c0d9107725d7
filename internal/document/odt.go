package document

import (
	"fmt"
	"io"
	"strings"
)

// MimeODT is the media type of an OpenDocument text.
const MimeODT = "application/vnd.oasis.opendocument.text"

const odfNS = `xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" ` +
	`xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" ` +
	`xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" ` +
	`xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" ` +
	`xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" ` +
	`xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" ` +
	`xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" ` +
	`xmlns:dc="http://purl.org/dc/elements/1.1/" ` +
	`xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" ` +
	`xmlns:xlink="http://www.w3.org/1999/xlink" office:version="1.3"`

// page returns the page size and the text width in cm.
func (d *Document) page() (w, h, text float64) {
	if d.Landscape {
		return 29.7, 21, 29.7 - 4
	}
	return 21, 29.7, 21 - 4
}

// cellStyles names the distinct looks of the table cells, in order of first use.
type cellStyles struct {
	names map[Cell]string
	order []Cell
}

func (c *cellStyles) name(cell Cell) string {
	key := Cell{Fill: strings.ToUpper(cell.Fill), Color: strings.ToUpper(cell.Color), Bold: cell.Bold}
	if n, ok := c.names[key]; ok {
		return n
	}
	n := fmt.Sprintf("C%d", len(c.order)+1)
	c.names[key] = n
	c.order = append(c.order, key)
	return n
}

// WriteODT writes the document as OpenDocument text: "mimetype" first and stored, then manifest, metadata,
// styles (page layout with running header and footer, headings, watermark) and content.
func WriteODT(w io.Writer, d *Document) error {
	z := newZip(w, d.date())
	if err := z.stored("mimetype", []byte(MimeODT)); err != nil {
		return err
	}
	if err := z.file("META-INF/manifest.xml", `<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">
<manifest:file-entry manifest:full-path="/" manifest:version="1.3" manifest:media-type="`+MimeODT+`"/>
<manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>
<manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>
<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>`); err != nil {
		return err
	}
	lang, country := d.language()
	date := d.date().Format("2006-01-02T15:04:05")
	if err := z.file("meta.xml", `<?xml version="1.0" encoding="UTF-8"?>
<office:document-meta `+odfNS+`><office:meta><meta:generator>Argine</meta:generator><dc:title>`+esc(d.Title)+
		`</dc:title><dc:subject>`+esc(d.Subject)+`</dc:subject><dc:creator>`+esc(d.Author)+`</dc:creator><meta:initial-creator>`+
		esc(d.Author)+`</meta:initial-creator><meta:creation-date>`+date+`</meta:creation-date><dc:date>`+date+
		`</dc:date><dc:language>`+lang+"-"+country+`</dc:language></office:meta></office:document-meta>`); err != nil {
		return err
	}
	if err := z.file("styles.xml", odtStyles(d, lang, country)); err != nil {
		return err
	}
	bw, err := z.entry("content.xml")
	if err != nil {
		return err
	}
	e := &errWriter{w: bw}
	odtContent(e, d)
	if e.err != nil {
		return e.err
	}
	return z.close()
}

func odtStyles(d *Document, lang, country string) string {
	pw, ph, tw := d.page()
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<office:document-styles ` + odfNS + `><office:font-face-decls><style:font-face style:name="` + Font + `" svg:font-family="'` + Font +
		`'" style:font-family-generic="swiss" style:font-pitch="variable"/></office:font-face-decls><office:styles>`)
	fmt.Fprintf(&b, `<style:default-style style:family="paragraph"><style:paragraph-properties fo:margin-top="0cm" fo:margin-bottom="0.12cm"/>`+
		`<style:text-properties style:font-name="%s" fo:font-size="10pt" fo:language="%s" fo:country="%s" style:language-asian="%s" style:country-asian="%s" style:language-complex="%s" style:country-complex="%s"/></style:default-style>`,
		Font, lang, country, lang, country, lang, country)
	b.WriteString(`<style:default-style style:family="table-cell"><style:table-cell-properties fo:padding="0.08cm"/></style:default-style>`)
	b.WriteString(`<style:style style:name="Standard" style:family="paragraph" style:class="text"/>`)
	b.WriteString(`<style:style style:name="Text_20_body" style:display-name="Text body" style:family="paragraph" style:parent-style-name="Standard" style:class="text"/>`)
	b.WriteString(`<style:style style:name="Small" style:family="paragraph" style:parent-style-name="Standard"><style:text-properties fo:font-size="8.5pt" fo:color="#404040"/></style:style>`)
	b.WriteString(`<style:style style:name="Heading" style:family="paragraph" style:parent-style-name="Standard" style:next-style-name="Text_20_body" style:class="text"><style:paragraph-properties fo:margin-top="0.4cm" fo:margin-bottom="0.2cm" fo:keep-with-next="always"/><style:text-properties fo:font-weight="bold" fo:color="#003366"/></style:style>`)
	for i, size := range []string{"16pt", "13pt", "11pt"} {
		fmt.Fprintf(&b, `<style:style style:name="Heading_20_%d" style:display-name="Heading %d" style:family="paragraph" style:parent-style-name="Heading" style:next-style-name="Text_20_body" style:default-outline-level="%d" style:class="text"><style:text-properties fo:font-size="%s"/></style:style>`, i+1, i+1, i+1, size)
	}
	b.WriteString(`<style:style style:name="Title" style:family="paragraph" style:parent-style-name="Heading" style:class="chapter"><style:paragraph-properties fo:text-align="center" fo:margin-top="4cm" fo:margin-bottom="0.6cm"/><style:text-properties fo:font-size="24pt"/></style:style>`)
	b.WriteString(`<style:style style:name="Subtitle" style:family="paragraph" style:parent-style-name="Standard" style:class="chapter"><style:paragraph-properties fo:text-align="center" fo:margin-bottom="1cm"/><style:text-properties fo:font-size="15pt"/></style:style>`)
	b.WriteString(`<style:style style:name="Cover_20_line" style:display-name="Cover line" style:family="paragraph" style:parent-style-name="Standard"><style:paragraph-properties fo:text-align="center" fo:margin-bottom="0.2cm"/><style:text-properties fo:font-size="11pt"/></style:style>`)
	b.WriteString(`<style:style style:name="Table_20_Contents" style:display-name="Table Contents" style:family="paragraph" style:parent-style-name="Standard" style:class="extra"><style:paragraph-properties fo:margin-bottom="0cm"/><style:text-properties fo:font-size="8.5pt"/></style:style>`)
	b.WriteString(`<style:style style:name="Table_20_Heading" style:display-name="Table Heading" style:family="paragraph" style:parent-style-name="Table_20_Contents" style:class="extra"><style:text-properties fo:font-weight="bold"/></style:style>`)
	b.WriteString(`<style:style style:name="Caption" style:family="paragraph" style:parent-style-name="Standard" style:class="extra"><style:paragraph-properties fo:margin-top="0.2cm" fo:keep-with-next="always"/><style:text-properties fo:font-weight="bold" fo:font-size="9pt"/></style:style>`)
	b.WriteString(`<style:style style:name="Header" style:family="paragraph" style:parent-style-name="Standard" style:class="extra"><style:text-properties fo:font-size="8pt" fo:color="#404040"/></style:style>`)
	b.WriteString(`<style:style style:name="Footer" style:family="paragraph" style:parent-style-name="Header" style:class="extra"><style:paragraph-properties fo:text-align="center"/></style:style>`)
	b.WriteString(`<style:style style:name="Filigrana" style:family="paragraph" style:parent-style-name="Standard"><style:paragraph-properties fo:text-align="center"/><style:text-properties fo:font-size="110pt" fo:font-weight="bold" fo:color="#E3E3E3"/></style:style>`)
	b.WriteString(`</office:styles><office:automatic-styles>`)
	fmt.Fprintf(&b, `<style:page-layout style:name="PL"><style:page-layout-properties fo:page-width="%.1fcm" fo:page-height="%.1fcm" style:print-orientation="%s" fo:margin-top="1.2cm" fo:margin-bottom="1.2cm" fo:margin-left="2cm" fo:margin-right="2cm"/>`+
		`<style:header-style><style:header-footer-properties fo:min-height="0.6cm" fo:margin-bottom="0.4cm" fo:border-bottom="0.5pt solid #808080" fo:padding-bottom="0.1cm"/></style:header-style>`+
		`<style:footer-style><style:header-footer-properties fo:min-height="0.6cm" fo:margin-top="0.4cm"/></style:footer-style></style:page-layout>`,
		pw, ph, map[bool]string{true: "landscape", false: "portrait"}[d.Landscape])
	b.WriteString(`<style:style style:name="WM" style:family="graphic"><style:graphic-properties style:wrap="run-through" style:run-through="background" style:vertical-pos="middle" style:vertical-rel="page" style:horizontal-pos="center" style:horizontal-rel="page" draw:fill="none" draw:stroke="none" fo:border="none" fo:padding="0cm"/></style:style>`)
	b.WriteString(`<style:style style:name="WMT" style:family="text"><style:text-properties fo:font-size="110pt" fo:font-weight="bold" fo:color="#E3E3E3"/></style:style>`)
	b.WriteString(`</office:automatic-styles><office:master-styles>`)
	watermark := ""
	if d.Watermark != "" {
		watermark = fmt.Sprintf(`<draw:frame draw:style-name="WM" draw:name="Filigrana" text:anchor-type="paragraph" svg:width="%.1fcm" svg:height="5cm" draw:z-index="0"><draw:text-box><text:p text:style-name="Filigrana"><text:span text:style-name="WMT">%s</text:span></text:p></draw:text-box><svg:title>Filigrana: %s</svg:title></draw:frame>`,
			tw, esc(d.Watermark), esc(d.Watermark))
	}
	footer := `<style:footer><text:p text:style-name="Footer">`
	if d.FooterText != "" {
		footer += esc(d.FooterText) + " – "
	}
	footer += `Pagina <text:page-number text:select-page="current">1</text:page-number> di <text:page-count>1</text:page-count></text:p></style:footer>`
	b.WriteString(`<style:master-page style:name="Standard" style:page-layout-name="PL"><style:header><text:p text:style-name="Header">` +
		esc(d.Header) + watermark + `</text:p></style:header>` + footer + `</style:master-page>`)
	b.WriteString(`<style:master-page style:name="Cover" style:page-layout-name="PL" style:next-style-name="Standard"><style:header><text:p text:style-name="Header">` +
		watermark + `</text:p></style:header>` + footer + `</style:master-page>`)
	b.WriteString(`</office:master-styles></office:document-styles>`)
	return b.String()
}

// odtText writes text with its line breaks.
func odtText(s string) string {
	return strings.ReplaceAll(esc(s), "\n", "<text:line-break/>")
}

func odtContent(e *errWriter, d *Document) {
	_, _, tw := d.page()
	cells := &cellStyles{names: map[Cell]string{}}
	type tableStyle struct{ cols []float64 }
	var tables []tableStyle
	cells.name(Cell{}) // a row shorter than the table gets empty cells
	for _, bl := range d.Blocks {
		if t, ok := bl.(*Table); ok {
			tables = append(tables, tableStyle{cols: t.widths()})
			for _, r := range t.Rows {
				for _, c := range r {
					cells.name(c)
				}
			}
		}
	}
	e.s(`<?xml version="1.0" encoding="UTF-8"?>`+"\n", `<office:document-content `, odfNS, `><office:automatic-styles>`)
	// The first paragraph of the body switches from the cover's page style to the standard one.
	e.s(`<style:style style:name="PCover" style:family="paragraph" style:parent-style-name="Title" style:master-page-name="Cover"/>`,
		`<style:style style:name="PBody" style:family="paragraph" style:parent-style-name="Heading_20_1" style:master-page-name="Standard"/>`,
		`<style:style style:name="PBodyText" style:family="paragraph" style:parent-style-name="Text_20_body" style:master-page-name="Standard"/>`,
		`<style:style style:name="PBreak" style:family="paragraph" style:parent-style-name="Text_20_body"><style:paragraph-properties fo:break-before="page"/></style:style>`,
		`<style:style style:name="Row" style:family="table-row"><style:table-row-properties fo:keep-together="always"/></style:style>`,
		`<style:style style:name="TBold" style:family="text"><style:text-properties fo:font-weight="bold"/></style:style>`,
		`<style:style style:name="PHead" style:family="table-cell"><style:table-cell-properties fo:background-color="#DDE4EE" fo:border="0.5pt solid #808080"/></style:style>`)
	for i, t := range tables {
		e.s(fmt.Sprintf(`<style:style style:name="Tab%d" style:family="table"><style:table-properties style:width="%.2fcm" table:align="margins" fo:margin-top="0.1cm" fo:margin-bottom="0.3cm"/></style:style>`, i+1, tw))
		for j, w := range t.cols {
			e.s(fmt.Sprintf(`<style:style style:name="Tab%dC%d" style:family="table-column"><style:table-column-properties style:column-width="%.2fcm"/></style:style>`, i+1, j+1, w*tw))
		}
	}
	for _, c := range cells.order {
		props := `fo:border="0.5pt solid #808080"`
		if c.Fill != "" {
			props += ` fo:background-color="#` + c.Fill + `"`
		}
		e.s(fmt.Sprintf(`<style:style style:name="%s" style:family="table-cell"><style:table-cell-properties %s/></style:style>`, cells.name(c), props))
		text := ""
		if c.Color != "" {
			text += ` fo:color="#` + c.Color + `"`
		}
		if c.Bold {
			text += ` fo:font-weight="bold"`
		}
		e.s(fmt.Sprintf(`<style:style style:name="P%s" style:family="paragraph" style:parent-style-name="Table_20_Contents"><style:text-properties%s/></style:style>`, cells.name(c), text))
	}
	e.s(`</office:automatic-styles><office:body><office:text>`)
	first := true
	if c := d.Cover; c != nil {
		e.s(`<text:p text:style-name="PCover">`, odtText(c.Title), `</text:p>`)
		if c.Subtitle != "" {
			e.s(`<text:p text:style-name="Subtitle">`, odtText(c.Subtitle), `</text:p>`)
		}
		for _, l := range c.Lines {
			e.s(`<text:p text:style-name="Cover_20_line">`, odtText(l), `</text:p>`)
		}
	}
	table := 0
	for _, bl := range d.Blocks {
		switch b := bl.(type) {
		case *Heading:
			style := fmt.Sprintf("Heading_20_%d", min(max(b.Level, 1), 3))
			if first && d.Cover != nil {
				style = "PBody"
				if b.Level > 1 {
					style = fmt.Sprintf("Heading_20_%d", min(b.Level, 3))
					e.s(`<text:p text:style-name="PBodyText"/>`)
				}
			}
			e.s(fmt.Sprintf(`<text:h text:style-name="%s" text:outline-level="%d">`, style, min(max(b.Level, 1), 3)), odtText(b.Text), `</text:h>`)
		case *Paragraph:
			style := "Text_20_body"
			if b.Small {
				style = "Small"
			}
			if first && d.Cover != nil {
				e.s(`<text:p text:style-name="PBodyText"/>`)
			}
			e.s(`<text:p text:style-name="`, style, `">`)
			if b.Bold {
				e.s(`<text:span text:style-name="TBold">`, odtText(b.Text), `</text:span>`)
			} else {
				e.s(odtText(b.Text))
			}
			e.s(`</text:p>`)
		case *PageBreak:
			e.s(`<text:p text:style-name="PBreak"/>`)
		case *Table:
			if first && d.Cover != nil {
				e.s(`<text:p text:style-name="PBodyText"/>`)
			}
			table++
			if b.Caption != "" {
				e.s(`<text:p text:style-name="Caption">`, odtText(b.Caption), `</text:p>`)
			}
			cols := b.widths()
			e.s(fmt.Sprintf(`<table:table table:name="Tabella%d" table:style-name="Tab%d">`, table, table))
			for j := range cols {
				e.s(fmt.Sprintf(`<table:table-column table:style-name="Tab%dC%d"/>`, table, j+1))
			}
			if len(b.Header) > 0 {
				e.s(`<table:table-header-rows><table:table-row table:style-name="Row">`)
				for _, h := range b.Header {
					e.s(`<table:table-cell table:style-name="PHead" office:value-type="string"><text:p text:style-name="Table_20_Heading">`, odtText(h), `</text:p></table:table-cell>`)
				}
				e.s(`</table:table-row></table:table-header-rows>`)
			}
			for _, r := range b.Rows {
				e.s(`<table:table-row table:style-name="Row">`)
				for j := range cols {
					c := Cell{}
					if j < len(r) {
						c = r[j]
					}
					n := cells.name(c)
					e.s(`<table:table-cell table:style-name="`, n, `" office:value-type="string"><text:p text:style-name="P`, n, `">`, odtText(c.Text), `</text:p></table:table-cell>`)
				}
				e.s(`</table:table-row>`)
			}
			e.s(`</table:table>`)
		}
		first = false
	}
	e.s(`</office:text></office:body></office:document-content>`)
}
