package httpapi

import (
	"io"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/export"
)

// exportFiles are the documents of a cycle, by file name.
var exportFiles = map[string]struct {
	contentType string
	write       func(io.Writer, export.Source) error
}{
	"registro.xlsx":       {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", export.WriteXLSX},
	"registro.csv":        {"text/csv; charset=utf-8", export.WriteCSV},
	"registro-excel.csv":  {"text/csv; charset=utf-8", export.WriteExcelCSV},
	"registro.json":       {"application/json", export.WriteJSON},
	"dizionario-dati.csv": {"text/csv; charset=utf-8", func(w io.Writer, _ export.Source) error { return export.WriteDictionary(w) }},
}

// exportRegister streams one export of a cycle: the adopted snapshot when adopted, the live draft otherwise.
func (a *api) exportRegister(c *gin.Context) {
	if a.serveDocument(c) { // the annex (ODT, DOCX, PDF) and the annual report: handlers_documents.go
		return
	}
	file, ok := exportFiles[c.Param("file")]
	if !ok {
		respondError(c, a.Log, domain.NotFound("export_not_found", "no export %q (registro.xlsx, registro.csv, registro-excel.csv, registro.json, dizionario-dati.csv)", c.Param("file")))
		return
	}
	// The register screen's filters apply: "Esporta" writes what is on screen.
	f, err := decodeRegisterFilter(c)
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	src, err := a.Cycles.FilteredExportSource(c.Request.Context(), actorOf(c), c.Param("cycle"), f)
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	name := src.Meta().Ente + "_" + src.Meta().Cycle + "_" + c.Param("file")
	if !src.Meta().Adopted {
		name = src.Meta().Ente + "_" + src.Meta().Cycle + "_BOZZA_" + c.Param("file")
	}
	c.Header("Content-Type", file.contentType)
	c.Header("Content-Disposition", `attachment; filename="`+name+`"`)
	c.Status(http.StatusOK)
	if err := file.write(c.Writer, src); err != nil {
		a.Log.ErrorContext(c.Request.Context(), "export failed midway", "err", err)
	}
}

// monitoringReport writes the XLSX report of a monitoring round.
func (a *api) monitoringReport(c *gin.Context) {
	v, err := a.Monitoring.Round(c.Request.Context(), actorOf(c), c.Param("cycle"), c.Param("date"))
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	lines := make([]export.RoundLine, len(v.Measures))
	for i, m := range v.Measures {
		l := export.RoundLine{Leaf: m.Leaf, Measure: m.Title, Unit: m.Unit, Sampled: m.Sampled, Overdue: m.Overdue, Status: "non rilevato",
			SampleReason: export.SampleReasonText(m.SampleReason, m.SampleStratum)}
		if e := m.Entry; e != nil {
			var vals []string
			for _, iv := range e.IndicatorValues {
				vals = append(vals, iv.Name+": "+iv.Value)
			}
			l.Status, l.Reason, l.Indicators, l.Check, l.Suitability = string(e.Status), e.Reason, strings.Join(vals, "; "), e.CheckOutcome, e.Suitability
			if e.CheckOutdated {
				l.Outdated = true
				l.Check += " (superata: l'autovalutazione è cambiata dopo la verifica)"
			}
		}
		if m.WithdrawnAt != nil {
			l.Measure += " (ritirata il " + m.WithdrawnAt.Format("02/01/2006") + ")"
		}
		lines[i] = l
	}
	title := "Monitoraggio delle misure – ciclo " + c.Param("cycle") + " – rilevazione al " + c.Param("date")
	name := "monitoraggio_" + c.Param("cycle") + "_" + c.Param("date")
	write, ctype := export.WriteMonitoringXLSX, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	if strings.HasSuffix(c.Request.URL.Path, ".pdf") {
		write, ctype, name = export.WriteMonitoringPDF, "application/pdf", name+".pdf"
	} else {
		name += ".xlsx"
	}
	c.Header("Content-Type", ctype)
	c.Header("Content-Disposition", `attachment; filename="`+name+`"`)
	c.Status(http.StatusOK)
	if err := write(c.Writer, title, lines); err != nil {
		a.Log.ErrorContext(c.Request.Context(), "monitoring report failed midway", "err", err)
	}
}

func (a *api) getDashboard(c *gin.Context) {
	d, err := a.Cycles.Dashboard(c.Request.Context(), actorOf(c), c.Param("cycle"), a.Workflow)
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.JSON(http.StatusOK, d)
}
