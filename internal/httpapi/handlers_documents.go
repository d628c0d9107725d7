package httpapi

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/argine-pa/argine/internal/document"
	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/export"
)

// documentFiles are the cycle's documents written by internal/document (the register annex in three formats)
// and the annual report workbook, served on the exports route beside the register's spreadsheets.
var documentFiles = map[string]string{
	"registro.odt":           document.MimeODT,
	"registro.docx":          document.MimeDOCX,
	"registro.pdf":           document.MimePDF,
	"relazione-annuale.xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

// serveDocument answers the exports route for a document file; it reports false for any other file.
func (a *api) serveDocument(c *gin.Context) bool {
	file := c.Param("file")
	ctype, ok := documentFiles[file]
	if !ok {
		return false
	}
	ctx, actor, cycle := c.Request.Context(), actorOf(c), c.Param("cycle")
	var body []byte
	var meta export.Meta
	if file == "relazione-annuale.xlsx" {
		data, err := a.Cycles.AnnualReport(ctx, actor, cycle)
		if err != nil {
			respondError(c, a.Log, err)
			return true
		}
		var b bytes.Buffer
		if err := export.WriteAnnualReport(&b, data.Source, data.Names, data.Rounds); err != nil {
			respondError(c, a.Log, err)
			return true
		}
		body, meta = b.Bytes(), data.Source.Meta()
	} else {
		if file == "registro.pdf" && !a.Documents.Available() {
			// Checked before the register is read: the answer does not depend on it.
			if _, err := a.Cycles.ExportSource(ctx, actor, cycle); err != nil {
				respondError(c, a.Log, err)
				return true
			}
			pdfUnavailable(c)
			return true
		}
		doc, err := a.Cycles.RegisterAnnex(ctx, actor, cycle)
		if err != nil {
			respondError(c, a.Log, err)
			return true
		}
		meta = doc.Meta
		body, err = a.keptDocument(ctx, actor, doc.Meta, file, doc.Doc)
		if err != nil {
			respondError(c, a.Log, err)
			return true
		}
	}
	sendDocument(c, meta, file, ctype, body)
	return true
}

// pdfUnavailable answers 503 when this server's PDF engine cannot run: only the optional LibreOffice engine
// (ARGINE_PDF_ENGINE=libreoffice) can be missing; the built-in one always runs.
func pdfUnavailable(c *gin.Context) {
	writeProblem(c, Problem{Status: http.StatusServiceUnavailable, Code: "pdf_renderer_unavailable",
		Detail: "Il PDF non è disponibile su questo server: il motore scelto, LibreOffice (ARGINE_PDF_ENGINE=libreoffice), non è installato. " +
			"Scaricate il documento in formato ODT o DOCX, oppure chiedete all'amministratore di installare LibreOffice " +
			"(pacchetto libreoffice-writer-nogui) o di tornare al motore integrato, e di riavviare Argine."})
}

// keptDocument writes doc in the format the file name ends with; an adopted cycle's document comes back as
// first rendered (KeptRendering), so it stays byte-stable.
func (a *api) keptDocument(ctx context.Context, actor domain.Actor, meta export.Meta, file string, doc *document.Document) ([]byte, error) {
	return a.Cycles.KeptRendering(ctx, actor, meta, file, func(b *bytes.Buffer) error {
		switch {
		case strings.HasSuffix(file, ".odt"):
			return document.WriteODT(b, doc)
		case strings.HasSuffix(file, ".docx"):
			return document.WriteDOCX(b, doc)
		default:
			return a.Documents.WritePDF(ctx, b, doc)
		}
	})
}

// sendDocument answers a cycle's file as an attachment named after the ente and the cycle, BOZZA until adopted.
func sendDocument(c *gin.Context, meta export.Meta, file, ctype string, body []byte) {
	name := meta.Ente + "_" + meta.Cycle + "_" + file
	if !meta.Adopted {
		name = meta.Ente + "_" + meta.Cycle + "_BOZZA_" + file
	}
	c.Header("Content-Disposition", `attachment; filename="`+name+`"`)
	c.Data(http.StatusOK, ctype, body)
}

// compareCycles answers the year-over-year comparison of a cycle with an earlier one (?with=, default the
// previous cycle).
func (a *api) compareCycles(c *gin.Context) {
	with := c.Query("with")
	if len(with) > 32 {
		respondError(c, a.Log, &domain.ValidationError{Code: "comparison_invalid", Problems: []domain.FieldError{{Field: "with", Code: "too_long", Message: "a cycle code is at most 32 characters"}}})
		return
	}
	cmp, err := a.Cycles.CompareCycles(c.Request.Context(), actorOf(c), c.Param("cycle"), with)
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.JSON(http.StatusOK, cmp)
}

// prerenderAdopted renders the PDF annex of a just-adopted register in the background and keeps it, so the
// first download (a long conversion for a large register) is already done. Nothing to do without LibreOffice;
// a failure is logged and the first download renders it instead.
func (a *api) prerenderAdopted(actor domain.Actor, cycle string) {
	if !a.Documents.Available() {
		return
	}
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
		defer cancel()
		doc, err := a.Cycles.RegisterAnnex(ctx, actor, cycle)
		if err == nil {
			_, err = a.Cycles.KeptRendering(ctx, actor, doc.Meta, "registro.pdf", func(b *bytes.Buffer) error {
				return a.Documents.WritePDF(ctx, b, doc.Doc)
			})
		}
		if err != nil {
			a.Log.Warn("the adopted register's PDF could not be prepared in advance: the first download will render it", "cycle", cycle, "err", err)
			return
		}
		a.Log.Info("adopted register's PDF prepared", "cycle", cycle)
	}()
}
