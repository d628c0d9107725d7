package httpapi

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/argine-pa/argine/internal/domain"
)

// The shape most handlers share: read the path's id, the body or the version, call one service method, answer
// its result as JSON or its error as a problem. These helpers are that shape, so a handler says only what it
// reads and which method it calls:
//
//	id, req, err := idAndBody[domain.ProgrammeMeasure](c, "programme_measure")
//	if a.failed(c, err) {
//		return
//	}
//	a.answer(c, http.StatusOK)(a.Programme.Update(c.Request.Context(), actorOf(c), c.Param("cycle"), id, req))

// failed answers err as a problem and reports whether there was one.
func (a *api) failed(c *gin.Context, err error) bool {
	if err != nil {
		respondError(c, a.Log, err)
		return true
	}
	return false
}

// answer returns what ends a JSON handler: given a service's result and error, it writes the result with
// status, or the error as a problem.
func (a *api) answer(c *gin.Context, status int) func(out any, err error) {
	return func(out any, err error) {
		if !a.failed(c, err) {
			c.JSON(status, out)
		}
	}
}

// noContent ends a handler whose operation returns nothing: 204, or the error as a problem.
func (a *api) noContent(c *gin.Context, err error) {
	if !a.failed(c, err) {
		c.Status(http.StatusNoContent)
	}
}

// body decodes the JSON body into a T (unknown fields, bad types and bounds answered as problems naming the
// field).
func body[T any](c *gin.Context) (T, error) {
	var v T
	err := decodeJSON(c, &v)
	return v, err
}

// idAndBody reads the :id parameter naming a thing (404 when it is no id) and then the JSON body: the input of
// every update of one item.
func idAndBody[T any](c *gin.Context, thing string) (string, T, error) {
	var v T
	id, err := idParam(c, "id", thing)
	if err == nil {
		v, err = body[T](c)
	}
	return id, v, err
}

// idAndVersion reads the :id parameter naming a thing and the ?version= the caller read: the input of every
// delete.
func idAndVersion(c *gin.Context, thing string) (string, int64, error) {
	id, err := idParam(c, "id", thing)
	if err != nil {
		return "", 0, err
	}
	v, err := versionQuery(c)
	return id, v, err
}

// versionQuery reads the ?version= a delete names (the version the caller read).
func versionQuery(c *gin.Context) (int64, error) {
	v, err := strconv.ParseInt(c.Query("version"), 10, 64)
	if err != nil || v < 1 {
		return 0, &domain.ValidationError{Code: "version_required", Problems: []domain.FieldError{{Field: "version", Code: "required",
			Message: "the version read, as ?version=N"}}}
	}
	return v, nil
}
