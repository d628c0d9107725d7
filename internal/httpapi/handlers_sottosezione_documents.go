package httpapi

import (
	"bytes"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/argine-pa/argine/internal/document"
	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/export"
)

// sottosezioneFiles are the files of the whole sottosezione 2.3: the document for the Giunta in three formats
// and the data for ANAC's PTPCT platform.
var sottosezioneFiles = map[string]string{
	"sottosezione.odt":      document.MimeODT,
	"sottosezione.docx":     document.MimeDOCX,
	"sottosezione.pdf":      document.MimePDF,
	"piattaforma-anac.xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	"piattaforma-anac.csv":  "text/csv; charset=utf-8",
}

// exportSottosezione answers GET /cycles/{cycle}/sottosezione/exports/{file}.
func (a *api) exportSottosezione(c *gin.Context) {
	file := c.Param("file")
	ctype, ok := sottosezioneFiles[file]
	if !ok {
		respondError(c, a.Log, domain.NotFound("export_not_found",
			"no export %q (sottosezione.odt, sottosezione.docx, sottosezione.pdf, piattaforma-anac.xlsx, piattaforma-anac.csv)", file))
		return
	}
	ctx, actor, cycle := c.Request.Context(), actorOf(c), c.Param("cycle")
	var body []byte
	var meta export.Meta
	if strings.HasPrefix(file, "piattaforma-anac.") {
		src, names, s, err := a.Cycles.SottosezioneData(ctx, actor, cycle)
		if err != nil {
			respondError(c, a.Log, err)
			return
		}
		sections, err := export.PlatformSections(src, names, s)
		if err != nil {
			respondError(c, a.Log, err)
			return
		}
		var b bytes.Buffer
		if strings.HasSuffix(file, ".csv") {
			err = export.WritePlatformCSV(&b, sections)
		} else {
			err = export.WritePlatformXLSX(&b, src.Meta(), sections)
		}
		if err != nil {
			respondError(c, a.Log, err)
			return
		}
		body, meta = b.Bytes(), src.Meta()
	} else {
		doc, err := a.Cycles.SottosezioneDocument(ctx, actor, cycle)
		if err != nil {
			respondError(c, a.Log, err)
			return
		}
		if file == "sottosezione.pdf" && !a.Documents.Available() {
			pdfUnavailable(c)
			return
		}
		meta = doc.Meta
		body, err = a.keptDocument(ctx, actor, doc.Meta, file, doc.Doc)
		if err != nil {
			respondError(c, a.Log, err)
			return
		}
	}
	sendDocument(c, meta, file, ctype, body)
}
