package httpapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/store"
)

// Input hardening shared by every route. PostgreSQL refuses a NUL character in text and invalid UTF-8, and
// its INTEGER columns hold 32 bits: such input used to reach the database and come back as a 500. It is
// refused here, before any service runs, with a 422 naming the field, on both databases alike.

// maxInputProblems caps the field errors one request reports.
const maxInputProblems = 20

// checkDecoded walks a decoded JSON body: every string (and map key) must be free of NUL, and every Go int
// (the type of the API's counts, positions and levels, stored in INTEGER columns) must fit 32 bits. int64
// fields (versions, seeds) keep their range: the decoder already refuses what does not fit them.
func checkDecoded(dst any) error {
	var problems []domain.FieldError
	walkInput(reflect.ValueOf(dst), "", &problems)
	if len(problems) == 0 {
		return nil
	}
	ve := &domain.ValidationError{Code: "body_invalid", Problems: problems}
	if len(problems) > maxInputProblems {
		ve.Problems, ve.Truncated = problems[:maxInputProblems], true
	}
	return ve
}

var rawMessageType = reflect.TypeOf(json.RawMessage(nil))

func walkInput(v reflect.Value, path string, problems *[]domain.FieldError) {
	if len(*problems) > maxInputProblems {
		return
	}
	field := path
	if field == "" {
		field = "body"
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			walkInput(v.Elem(), path, problems)
		}
	case reflect.String:
		if strings.ContainsRune(v.String(), 0) {
			*problems = append(*problems, nulProblem(field))
		}
	case reflect.Int:
		if n := v.Int(); n > math.MaxInt32 || n < math.MinInt32 {
			*problems = append(*problems, domain.FieldError{Field: field, Code: "out_of_range",
				Message: fmt.Sprintf("%s must be between %d and %d", field, math.MinInt32, math.MaxInt32)})
		}
	case reflect.Slice, reflect.Array:
		if v.Type() == rawMessageType {
			// Kept as JSON text (and stored so): the escape \u0000 would be a NUL once parsed, which
			// PostgreSQL's jsonb refuses too.
			if bytes.Contains(v.Bytes(), []byte(`\u0000`)) {
				*problems = append(*problems, nulProblem(field))
			}
			return
		}
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return // []byte arrives base64-encoded: binary by design
		}
		for i := 0; i < v.Len(); i++ {
			walkInput(v.Index(i), path+"["+strconv.Itoa(i)+"]", problems)
		}
	case reflect.Map:
		iter := v.MapRange()
		for iter.Next() {
			k := fmt.Sprint(iter.Key().Interface())
			if strings.ContainsRune(k, 0) {
				*problems = append(*problems, nulProblem(field))
				continue
			}
			walkInput(iter.Value(), joinPath(path, k), problems)
		}
	case reflect.Struct:
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			sf := t.Field(i)
			if !sf.IsExported() {
				continue
			}
			name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
			if name == "-" {
				continue
			}
			if sf.Anonymous && name == "" {
				walkInput(v.Field(i), path, problems) // embedded: its fields are the outer object's
				continue
			}
			if name == "" {
				name = sf.Name
			}
			walkInput(v.Field(i), joinPath(path, name), problems)
		}
	}
}

func joinPath(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

func nulProblem(field string) domain.FieldError {
	return domain.FieldError{Field: field, Code: "nul_character", Message: field + " must not contain the NUL character"}
}

// checkURLInput refuses, before routing to a handler, a path or query parameter that holds a NUL character
// or invalid UTF-8: no code, id or search text can contain them, and the database would fail on them.
func checkURLInput() gin.HandlerFunc {
	return func(c *gin.Context) {
		var problems []domain.FieldError
		if p := c.Request.URL.Path; strings.ContainsRune(p, 0) || !utf8.ValidString(p) {
			problems = append(problems, domain.FieldError{Field: "path", Code: "path_invalid",
				Message: "the path must be valid UTF-8 without NUL characters"})
		}
		for name, values := range c.Request.URL.Query() {
			bad := !utf8.ValidString(name) || strings.ContainsRune(name, 0)
			for _, v := range values {
				bad = bad || !utf8.ValidString(v) || strings.ContainsRune(v, 0)
			}
			if bad {
				problems = append(problems, domain.FieldError{Field: strings.ToValidUTF8(strings.ReplaceAll(name, "\x00", ""), "?"),
					Code: "parameter_invalid", Message: "the parameter must be valid UTF-8 without NUL characters"})
			}
			if len(problems) >= maxInputProblems {
				break
			}
		}
		if len(problems) > 0 {
			writeProblem(c, Problem{Status: http.StatusUnprocessableEntity, Code: "parameter_invalid",
				Detail: "the request has invalid values; see errors", Errors: problems})
			return
		}
		c.Next()
	}
}

// auditCodeRe is the shape of the trail's entity and action codes ("assessment", "submit", "grant_add").
var auditCodeRe = regexp.MustCompile(`^[a-z][a-z0-9_.-]{0,39}$`)

// auditTimeRe accepts a date or a prefix of domain.AuditTimeLayout (2006-01-02T15:04:05.000000Z).
var auditTimeRe = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}(T\d{2}(:\d{2}(:\d{2}(\.\d{1,6})?)?)?Z?)?$`)

// checkAuditFilter refuses audit filters that can match nothing because of their shape — a mistyped date
// compares as text and silently empties the trail — naming the parameter. The trail's codes are not
// enumerated in Go (every service writes its own), so entity and action are checked for the shape of a code.
func checkAuditFilter(f store.AuditFilter) error {
	var problems []domain.FieldError
	for _, p := range []struct{ name, value string }{{"entity", f.Entity}, {"action", f.Action}} {
		if p.value != "" && !auditCodeRe.MatchString(p.value) {
			problems = append(problems, domain.FieldError{Field: p.name, Code: "value_unknown",
				Message: p.name + " must be a code of the trail, such as assessment or submit"})
		}
	}
	for _, p := range []struct{ name, value string }{{"from", f.From}, {"to", f.To}} {
		if p.value == "" {
			continue
		}
		if _, err := time.Parse("2006-01-02", p.value[:min(len(p.value), 10)]); err != nil || !auditTimeRe.MatchString(p.value) {
			problems = append(problems, domain.FieldError{Field: p.name, Code: "not_date",
				Message: p.name + " must be a date (2026-03-31) or a UTC time (2026-03-31T12:00:00Z)"})
		}
	}
	for _, p := range []struct{ name, value string }{{"entity_id", f.EntityID}, {"actor", f.ActorID}} {
		if len(p.value) > 200 {
			problems = append(problems, domain.FieldError{Field: p.name, Code: "too_long", Message: p.name + " must be at most 200 characters"})
		}
	}
	if len(problems) > 0 {
		return &domain.ValidationError{Code: "filter_invalid", Problems: problems}
	}
	return nil
}
