package httpapi

import (
	"errors"
	"io"
	"mime"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/argine-pa/argine/internal/domain"
)

// uploadEvidence reads the "file" part of a multipart body as a stream: the service bounds it and stores it
// only once it arrived whole.
func (a *api) uploadEvidence(c *gin.Context) {
	mr, err := c.Request.MultipartReader()
	if err != nil {
		respondError(c, a.Log, &domain.ValidationError{Code: "evidence_invalid", Problems: []domain.FieldError{
			{Field: "file", Code: "multipart_required", Message: "send the file as multipart/form-data in the field \"file\""}}})
		return
	}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			respondError(c, a.Log, domain.Invalid("upload_incomplete", "the upload did not complete: nothing was stored"))
			return
		}
		if part.FormName() != "file" {
			continue
		}
		ev, err := a.Evidence.Upload(c.Request.Context(), actorOf(c), c.Param("cycle"), c.Param("date"), c.Param("measure"), part.FileName(), part)
		if err != nil {
			respondError(c, a.Log, err)
			return
		}
		c.JSON(http.StatusCreated, ev)
		return
	}
	respondError(c, a.Log, &domain.ValidationError{Code: "evidence_invalid", Problems: []domain.FieldError{
		{Field: "file", Code: "required", Message: "no \"file\" part in the upload"}}})
}

func (a *api) downloadEvidence(c *gin.Context) {
	id, err := idParam(c, "id", "evidence")
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	ev, data, err := a.Evidence.Download(c.Request.Context(), actorOf(c), id)
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	// Always a download, never rendered in the page: the type is the one Argine detected (the service maps
	// anything else to application/octet-stream), nosniff forbids the browser a guess of its own, and the
	// sandbox keeps any active content inert should a browser show the file anyway.
	c.Header("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": ev.Name}))
	c.Header("X-Content-Type-Options", "nosniff")
	c.Header("Content-Security-Policy", "default-src 'none'; sandbox")
	c.Header("X-Content-SHA256", ev.SHA256)
	c.Data(http.StatusOK, ev.ContentType, data)
}

func (a *api) deleteEvidence(c *gin.Context) {
	id, err := idParam(c, "id", "evidence")
	if err != nil {
		respondError(c, a.Log, err)
		return
	}
	if err := a.Evidence.Remove(c.Request.Context(), actorOf(c), id); err != nil {
		respondError(c, a.Log, err)
		return
	}
	c.Status(http.StatusNoContent)
}
