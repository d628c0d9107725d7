package document

import (
	"fmt"
	"io"
	"strings"
)

// MimeDOCX is the media type of a WordprocessingML document.
const MimeDOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

const wNS = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" ` +
	`xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" ` +
	`xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" ` +
	`xmlns:w10="urn:schemas-microsoft-com:office:word"`

// twips per cm.
const twipsCM = 566.93

// WriteDOCX writes the document as WordprocessingML: styles with outline levels (headings navigate and tag),
// a first page without the running header (the cover), header and footer with PAGE/NUMPAGES fields, the
// watermark as Word's own VML text shape in the header, repeated table header rows and shaded cells.
func WriteDOCX(w io.Writer, d *Document) error {
	z := newZip(w, d.date())
	lang, country := d.language()
	date := d.date().Format("2006-01-02T15:04:05Z")
	files := []struct{ name, content string }{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>` +
			`<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>` +
			`<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>` +
			`<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>` +
			`<Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>` +
			`<Override PartName="/word/header2.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>` +
			`<Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>` +
			`<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>` +
			`<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/></Relationships>`},
		{"docProps/core.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>` +
			esc(d.Title) + `</dc:title><dc:subject>` + esc(d.Subject) + `</dc:subject><dc:creator>` + esc(d.Author) + `</dc:creator><dc:language>` + lang + "-" + country +
			`</dc:language><dcterms:created xsi:type="dcterms:W3CDTF">` + date + `</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">` + date + `</dcterms:modified></cp:coreProperties>`},
		{"docProps/app.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>Argine</Application></Properties>`},
		{"word/_rels/document.xml.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/><Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header2.xml"/><Relationship Id="rId5" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/></Relationships>`},
		{"word/settings.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:settings ` + wNS + `><w:displayBackgroundShape/><w:defaultTabStop w:val="709"/><w:characterSpacingControl w:val="doNotCompress"/><w:themeFontLang w:val="` + lang + "-" + country + `"/></w:settings>`},
		{"word/styles.xml", docxStyles(lang + "-" + country)},
		{"word/header1.xml", docxHeader(d, d.Header)},
		{"word/header2.xml", docxHeader(d, "")},
		{"word/footer1.xml", docxFooter(d)},
	}
	for _, f := range files {
		if err := z.file(f.name, f.content); err != nil {
			return err
		}
	}
	bw, err := z.entry("word/document.xml")
	if err != nil {
		return err
	}
	e := &errWriter{w: bw}
	docxBody(e, d)
	if e.err != nil {
		return e.err
	}
	return z.close()
}

func docxStyles(lang string) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles ` + wNS + `><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="` + Font + `" w:hAnsi="` + Font + `" w:cs="` + Font + `" w:eastAsia="` + Font +
		`"/><w:sz w:val="20"/><w:szCs w:val="20"/><w:lang w:val="` + lang + `" w:eastAsia="` + lang + `" w:bidi="` + lang + `"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="70"/></w:pPr></w:pPrDefault></w:docDefaults>`)
	b.WriteString(`<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>`)
	for i, size := range []int{32, 26, 22} {
		fmt.Fprintf(&b, `<w:style w:type="paragraph" w:styleId="Heading%d"><w:name w:val="heading %d"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before="240" w:after="120"/><w:outlineLvl w:val="%d"/></w:pPr><w:rPr><w:b/><w:color w:val="003366"/><w:sz w:val="%d"/></w:rPr></w:style>`, i+1, i+1, i, size)
	}
	b.WriteString(`<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:qFormat/><w:pPr><w:spacing w:before="2200" w:after="300"/><w:jc w:val="center"/></w:pPr><w:rPr><w:b/><w:color w:val="003366"/><w:sz w:val="48"/></w:rPr></w:style>`)
	b.WriteString(`<w:style w:type="paragraph" w:styleId="Subtitle"><w:name w:val="Subtitle"/><w:basedOn w:val="Normal"/><w:qFormat/><w:pPr><w:spacing w:after="500"/><w:jc w:val="center"/></w:pPr><w:rPr><w:sz w:val="30"/></w:rPr></w:style>`)
	b.WriteString(`<w:style w:type="paragraph" w:styleId="CoverLine"><w:name w:val="Cover line"/><w:basedOn w:val="Normal"/><w:pPr><w:jc w:val="center"/></w:pPr><w:rPr><w:sz w:val="22"/></w:rPr></w:style>`)
	b.WriteString(`<w:style w:type="paragraph" w:styleId="Small"><w:name w:val="Small"/><w:basedOn w:val="Normal"/><w:rPr><w:color w:val="404040"/><w:sz w:val="17"/></w:rPr></w:style>`)
	b.WriteString(`<w:style w:type="paragraph" w:styleId="Caption"><w:name w:val="caption"/><w:basedOn w:val="Normal"/><w:pPr><w:keepNext/><w:spacing w:before="120"/></w:pPr><w:rPr><w:b/><w:sz w:val="18"/></w:rPr></w:style>`)
	b.WriteString(`<w:style w:type="paragraph" w:styleId="TableContents"><w:name w:val="Table Contents"/><w:basedOn w:val="Normal"/><w:pPr><w:spacing w:after="0"/></w:pPr><w:rPr><w:sz w:val="17"/></w:rPr></w:style>`)
	b.WriteString(`<w:style w:type="paragraph" w:styleId="Header"><w:name w:val="header"/><w:basedOn w:val="Normal"/><w:rPr><w:color w:val="404040"/><w:sz w:val="16"/></w:rPr></w:style>`)
	b.WriteString(`<w:style w:type="paragraph" w:styleId="Footer"><w:name w:val="footer"/><w:basedOn w:val="Header"/><w:pPr><w:jc w:val="center"/></w:pPr></w:style>`)
	b.WriteString(`<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/><w:tblPr><w:tblBorders><w:top w:val="single" w:sz="4" w:color="808080"/><w:left w:val="single" w:sz="4" w:color="808080"/><w:bottom w:val="single" w:sz="4" w:color="808080"/><w:right w:val="single" w:sz="4" w:color="808080"/><w:insideH w:val="single" w:sz="4" w:color="808080"/><w:insideV w:val="single" w:sz="4" w:color="808080"/></w:tblBorders><w:tblCellMar><w:left w:w="60" w:type="dxa"/><w:right w:w="60" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>`)
	b.WriteString(`</w:styles>`)
	return b.String()
}

// docxWatermark is Word's own watermark: a VML text path behind the page, in the header.
func docxWatermark(d *Document) string {
	if d.Watermark == "" {
		return ""
	}
	return `<w:r><w:pict><v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800" path="m@7,l@8,m@5,21600l@6,21600e"><v:path textpathok="t" o:connecttype="custom"/><v:textpath on="t" fitshape="t"/></v:shapetype>` +
		`<v:shape id="ArgineFiligrana" o:spid="_x0000_s2049" type="#_x0000_t136" alt="Filigrana: ` + esc(d.Watermark) + `" style="position:absolute;margin-left:0;margin-top:0;width:420pt;height:120pt;z-index:-251657216;mso-position-horizontal:center;mso-position-horizontal-relative:margin;mso-position-vertical:center;mso-position-vertical-relative:margin" fillcolor="#e3e3e3" stroked="f"><v:textpath style="font-family:&quot;` + Font + `&quot;;font-size:1pt;font-weight:bold" string="` + esc(d.Watermark) + `"/><w10:wrap anchorx="margin" anchory="margin"/></v:shape></w:pict></w:r>`
}

func docxHeader(d *Document, text string) string {
	return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:hdr ` + wNS + `><w:p><w:pPr><w:pStyle w:val="Header"/><w:pBdr><w:bottom w:val="single" w:sz="4" w:space="1" w:color="808080"/></w:pBdr></w:pPr>` +
		docxWatermark(d) + docxRuns(text, false, "") + `</w:p></w:hdr>`
}

func docxFooter(d *Document) string {
	prefix := "Pagina "
	if d.FooterText != "" {
		prefix = d.FooterText + " – Pagina "
	}
	return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:ftr ` + wNS + `><w:p><w:pPr><w:pStyle w:val="Footer"/></w:pPr>` + docxRuns(prefix, false, "") +
		`<w:fldSimple w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple><w:r><w:t xml:space="preserve"> di </w:t></w:r><w:fldSimple w:instr=" NUMPAGES "><w:r><w:t>1</w:t></w:r></w:fldSimple></w:p></w:ftr>`
}

// docxRuns writes text as runs, a line break for each newline.
func docxRuns(s string, bold bool, color string) string {
	if s == "" {
		return ""
	}
	rpr := ""
	if bold || color != "" {
		rpr = "<w:rPr>"
		if bold {
			rpr += "<w:b/>"
		}
		if color != "" {
			rpr += `<w:color w:val="` + color + `"/>`
		}
		rpr += "</w:rPr>"
	}
	var b strings.Builder
	b.WriteString("<w:r>" + rpr)
	for i, line := range strings.Split(s, "\n") {
		if i > 0 {
			b.WriteString("<w:br/>")
		}
		b.WriteString(`<w:t xml:space="preserve">` + esc(line) + `</w:t>`)
	}
	b.WriteString("</w:r>")
	return b.String()
}

func docxPara(style, text string, bold bool) string {
	return `<w:p><w:pPr><w:pStyle w:val="` + style + `"/></w:pPr>` + docxRuns(text, bold, "") + `</w:p>`
}

func docxBody(e *errWriter, d *Document) {
	pw, ph, tw := d.page()
	e.s(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`+"\n", `<w:document `, wNS, `><w:body>`)
	if c := d.Cover; c != nil {
		e.s(docxPara("Title", c.Title, false))
		if c.Subtitle != "" {
			e.s(docxPara("Subtitle", c.Subtitle, false))
		}
		for _, l := range c.Lines {
			e.s(docxPara("CoverLine", l, false))
		}
		e.s(`<w:p><w:r><w:br w:type="page"/></w:r></w:p>`)
	}
	for _, bl := range d.Blocks {
		switch b := bl.(type) {
		case *Heading:
			e.s(docxPara(fmt.Sprintf("Heading%d", min(max(b.Level, 1), 3)), b.Text, false))
		case *Paragraph:
			style := "Normal"
			if b.Small {
				style = "Small"
			}
			e.s(docxPara(style, b.Text, b.Bold))
		case *PageBreak:
			e.s(`<w:p><w:r><w:br w:type="page"/></w:r></w:p>`)
		case *Table:
			if b.Caption != "" {
				e.s(docxPara("Caption", b.Caption, false))
			}
			cols := b.widths()
			e.s(`<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="5000" w:type="pct"/><w:tblLayout w:type="fixed"/><w:tblLook w:val="0020" w:firstRow="1" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr><w:tblGrid>`)
			colW := make([]int, len(cols))
			for j, c := range cols {
				colW[j] = int(c * tw * twipsCM)
				e.s(fmt.Sprintf(`<w:gridCol w:w="%d"/>`, colW[j]))
			}
			e.s(`</w:tblGrid>`)
			row := func(cells []Cell, header bool) {
				e.s(`<w:tr>`)
				if header {
					e.s(`<w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>`)
				} else {
					e.s(`<w:trPr><w:cantSplit/></w:trPr>`)
				}
				for j := range cols {
					c := Cell{}
					if j < len(cells) {
						c = cells[j]
					}
					e.s(fmt.Sprintf(`<w:tc><w:tcPr><w:tcW w:w="%d" w:type="dxa"/>`, colW[j]))
					if c.Fill != "" {
						e.s(`<w:shd w:val="clear" w:color="auto" w:fill="`, strings.ToUpper(c.Fill), `"/>`)
					}
					e.s(`</w:tcPr><w:p><w:pPr><w:pStyle w:val="TableContents"/></w:pPr>`, docxRuns(c.Text, c.Bold, strings.ToUpper(c.Color)), `</w:p></w:tc>`)
				}
				e.s(`</w:tr>`)
			}
			if len(b.Header) > 0 {
				hc := make([]Cell, len(b.Header))
				for i, h := range b.Header {
					hc[i] = Cell{Text: h, Bold: true, Fill: "DDE4EE"}
				}
				row(hc, true)
			}
			for _, r := range b.Rows {
				row(r, false)
			}
			e.s(`</w:tbl><w:p><w:pPr><w:spacing w:after="0"/></w:pPr></w:p>`)
		}
	}
	orient := ""
	if d.Landscape {
		orient = ` w:orient="landscape"`
	}
	e.s(fmt.Sprintf(`<w:sectPr><w:headerReference w:type="default" r:id="rId3"/><w:headerReference w:type="first" r:id="rId4"/><w:footerReference w:type="default" r:id="rId5"/><w:footerReference w:type="first" r:id="rId5"/>`+
		`<w:pgSz w:w="%d" w:h="%d"%s/><w:pgMar w:top="680" w:right="1134" w:bottom="680" w:left="1134" w:header="340" w:footer="340" w:gutter="0"/>%s</w:sectPr></w:body></w:document>`,
		int(pw*twipsCM), int(ph*twipsCM), orient, map[bool]string{true: "<w:titlePg/>", false: ""}[d.Cover != nil]))
}
