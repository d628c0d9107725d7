package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/registerimport"
	"github.com/argine-pa/argine/internal/service"
)

func importProblem(field, code, msg string) error {
	return &domain.ValidationError{Code: "import_invalid", Problems: []domain.FieldError{{Field: field, Code: code, Message: msg}}}
}

// importRegister takes a register spreadsheet as multipart/form-data: the "file" part, and optionally a
// "mapping" part (a JSON object: layout column key → header in the file) and "confirm" parts (codes of
// leaves whose title mismatch the user confirmed). dry_run=true previews; otherwise the import is committed.
func (a *api) importRegister(c *gin.Context) {
	dryRun := c.Query("dry_run") == "true"
	if v := c.Query("dry_run"); v != "" && v != "true" && v != "false" {
		respondError(c, a.Log, importProblem("dry_run", "not_boolean", "dry_run must be true or false"))
		return
	}
	mr, err := c.Request.MultipartReader()
	if err != nil {
		respondError(c, a.Log, importProblem("file", "multipart_required", "send the file as multipart/form-data in the field \"file\""))
		return
	}
	opt := service.ImportOptions{DryRun: dryRun}
	var data []byte
	name := ""
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			respondError(c, a.Log, domain.Invalid("upload_incomplete", "the upload did not complete: nothing was imported"))
			return
		}
		switch part.FormName() {
		case "file":
			var b bytes.Buffer
			n, err := io.Copy(&b, io.LimitReader(part, registerimport.MaxFileSize+1))
			if err != nil {
				respondError(c, a.Log, domain.Invalid("upload_incomplete", "the upload did not complete: nothing was imported"))
				return
			}
			if n > registerimport.MaxFileSize {
				respondError(c, a.Log, importProblem("file", "file_too_large", "the file is larger than 20 MiB"))
				return
			}
			data, name = b.Bytes(), part.FileName()
		case "mapping":
			raw, err := io.ReadAll(io.LimitReader(part, 64<<10))
			if err != nil || json.Unmarshal(raw, &opt.Mapping) != nil {
				respondError(c, a.Log, importProblem("mapping", "json_invalid", "mapping must be a JSON object of column keys to headers"))
				return
			}
		case "confirm":
			raw, err := io.ReadAll(io.LimitReader(part, 64<<10))
			if err != nil {
				respondError(c, a.Log, domain.Invalid("upload_incomplete", "the upload did not complete: nothing was imported"))
				return
			}
			for _, code := range strings.FieldsFunc(string(raw), func(r rune) bool { return r == ',' || r == '\n' }) {
				if code = strings.TrimSpace(code); code != "" && len(opt.Confirmed) < 10000 {
					opt.Confirmed = append(opt.Confirmed, code)
				}
			}
		}
	}
	if data == nil {
		respondError(c, a.Log, importProblem("file", "required", "no \"file\" part in the upload"))
		return
	}
	rep, err := a.Register.ImportRegister(c.Request.Context(), actorOf(c), c.Param("cycle"), name, data, opt)
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.JSON(http.StatusOK, rep)
}

// importTemplate writes registro-modello.xlsx for the cycle.
func (a *api) importTemplate(c *gin.Context) {
	var b bytes.Buffer // small: built in memory, so an error still gets its status
	if err := a.Register.ImportTemplate(c.Request.Context(), actorOf(c), c.Param("cycle"), &b); err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.Header("Content-Disposition", `attachment; filename="registro-modello.xlsx"`)
	c.Data(http.StatusOK, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b.Bytes())
}

func (a *api) getImportMapping(c *gin.Context) {
	m, err := a.Register.ImportMapping(c.Request.Context(), actorOf(c))
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.JSON(http.StatusOK, m)
}

func (a *api) putImportMapping(c *gin.Context) {
	var req struct {
		Columns map[string]string `json:"columns"`
		Version int64             `json:"version"`
	}
	if err := decodeJSON(c, &req); err != nil {
		respondError(c, a.Log, err)
		return
	}
	m, err := a.Register.SaveImportMapping(c.Request.Context(), actorOf(c), req.Columns, req.Version)
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.JSON(http.StatusOK, m)
}
