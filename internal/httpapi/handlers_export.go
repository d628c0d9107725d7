package httpapi

import (
	"io"
	"net/http"

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
	"registro.json":       {"application/json", export.WriteJSON},
	"dizionario-dati.csv": {"text/csv; charset=utf-8", func(w io.Writer, _ export.Source) error { return export.WriteDictionary(w) }},
}

// exportRegister streams one export of a cycle: the adopted snapshot when adopted, the live draft otherwise.
func (a *api) exportRegister(c *gin.Context) {
	file, ok := exportFiles[c.Param("file")]
	if !ok {
		respondError(c, a.Log, domain.NotFound("export_not_found", "no export %q (registro.xlsx, registro.csv, registro.json, dizionario-dati.csv)", c.Param("file")))
		return
	}
	src, err := a.Cycles.ExportSource(c.Request.Context(), actorOf(c), c.Param("cycle"))
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

func (a *api) getDashboard(c *gin.Context) {
	d, err := a.Cycles.Dashboard(c.Request.Context(), actorOf(c), c.Param("cycle"), a.Workflow)
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.JSON(http.StatusOK, d)
}
