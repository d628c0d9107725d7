package httpapi_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// The contract test: every answer the HTTP suite's server gives (newServer wraps its handler with
// withContract) is checked against openapi.json. The status must be listed for the operation (or covered by
// "default" or "4XX"), the content type must be one the response declares, and a JSON body must match the
// declared schema. A mismatch fails the test that made the request, naming the operation. So the document
// cannot drift from what the server really answers: an undocumented 409 or a renamed field fails a test.

const contractBase = "https://argine.invalid/openapi.json"

type contractOp struct {
	method, template string
	re               *regexp.Regexp
	literal          int // literal segments: a more specific template wins (/users/me before /users/{id})
	responses        map[string]json.RawMessage
}

type contractDoc struct {
	ops      []contractOp
	compiler *jsonschema.Compiler
	mu       sync.Mutex
	schemas  map[string]*jsonschema.Schema
}

var (
	contractOnce sync.Once
	theContract  *contractDoc
	contractErr  error
)

func loadContract() (*contractDoc, error) {
	contractOnce.Do(func() {
		data, err := os.ReadFile("openapi.json")
		if err != nil {
			contractErr = err
			return
		}
		var doc struct {
			Paths map[string]map[string]json.RawMessage `json:"paths"`
		}
		if err := json.Unmarshal(data, &doc); err != nil {
			contractErr = err
			return
		}
		whole, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
		if err != nil {
			contractErr = err
			return
		}
		c := jsonschema.NewCompiler()
		c.DefaultDraft(jsonschema.Draft2020)
		if err := c.AddResource(contractBase, whole); err != nil {
			contractErr = err
			return
		}
		cd := &contractDoc{compiler: c, schemas: map[string]*jsonschema.Schema{}}
		for tmpl, methods := range doc.Paths {
			re := "^" + regexp.MustCompile(`\\\{[^}]+\\\}`).ReplaceAllString(regexp.QuoteMeta(tmpl), `[^/]+`) + "$"
			literal := 0
			for _, seg := range strings.Split(tmpl, "/") {
				if seg != "" && !strings.HasPrefix(seg, "{") {
					literal++
				}
			}
			for method, raw := range methods {
				var op struct {
					Responses map[string]json.RawMessage `json:"responses"`
				}
				if json.Unmarshal(raw, &op) != nil || op.Responses == nil {
					continue // "parameters" and other path-level keys
				}
				cd.ops = append(cd.ops, contractOp{method: strings.ToUpper(method), template: tmpl, re: regexp.MustCompile(re),
					literal: literal, responses: op.Responses})
			}
		}
		sort.Slice(cd.ops, func(i, j int) bool {
			if cd.ops[i].literal != cd.ops[j].literal {
				return cd.ops[i].literal > cd.ops[j].literal
			}
			return cd.ops[i].template < cd.ops[j].template
		})
		theContract = cd
	})
	return theContract, contractErr
}

// pointerEscape escapes a JSON pointer token.
func pointerEscape(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

func (cd *contractDoc) schema(ptr string) (*jsonschema.Schema, error) {
	cd.mu.Lock()
	defer cd.mu.Unlock()
	if s, ok := cd.schemas[ptr]; ok {
		return s, nil
	}
	s, err := cd.compiler.Compile(contractBase + "#" + ptr)
	if err != nil {
		return nil, err
	}
	cd.schemas[ptr] = s
	return s, nil
}

// check returns what is wrong with one answer, or "" when it keeps the contract.
func (cd *contractDoc) check(method, path string, status int, header http.Header, body []byte) string {
	var op *contractOp
	for i := range cd.ops {
		if cd.ops[i].method == method && cd.ops[i].re.MatchString(path) {
			op = &cd.ops[i]
			break
		}
	}
	if op == nil {
		return "" // the web interface, /metrics, or a path no route serves (the router's own 404/405)
	}
	name := method + " " + op.template
	code := strconv.Itoa(status)
	key := code
	if _, listed := op.responses[key]; !listed && anyRoute[status] {
		// Any route may answer these (the document's info says so): the body must still be a problem.
		return cd.validate(name, status, "/components/schemas/Problem", body)
	}
	if _, ok := op.responses[key]; !ok {
		key = code[:1] + "XX"
		if _, ok := op.responses[key]; !ok {
			key = "default"
			if _, ok := op.responses[key]; !ok {
				return fmt.Sprintf("%s answered %d (%s), which openapi.json does not list for it", name, status, snippet(body))
			}
		}
	}
	var resp struct {
		Ref     string                     `json:"$ref"`
		Content map[string]json.RawMessage `json:"content"`
	}
	if err := json.Unmarshal(op.responses[key], &resp); err != nil {
		return fmt.Sprintf("%s: response %s unreadable: %v", name, key, err)
	}
	if resp.Ref != "" || len(body) == 0 || method == http.MethodHead {
		return "" // shared responses by reference are checked where they are defined; an empty body has no type
	}
	ctype, _, _ := mime.ParseMediaType(header.Get("Content-Type"))
	if _, ok := resp.Content[ctype]; !ok {
		if _, ok := resp.Content["*/*"]; !ok {
			declared := make([]string, 0, len(resp.Content))
			for k := range resp.Content {
				declared = append(declared, k)
			}
			sort.Strings(declared)
			return fmt.Sprintf("%s answered %d as %q, openapi.json declares %v", name, status, ctype, declared)
		}
		return ""
	}
	if ctype != "application/json" && ctype != "application/problem+json" {
		return ""
	}
	var media struct {
		Schema json.RawMessage `json:"schema"`
	}
	if err := json.Unmarshal(resp.Content[ctype], &media); err != nil || media.Schema == nil {
		return ""
	}
	ptr := "/paths/" + pointerEscape(op.template) + "/" + strings.ToLower(method) + "/responses/" + key + "/content/" +
		pointerEscape(ctype) + "/schema"
	return cd.validate(name, status, ptr, body)
}

// anyRoute are the statuses every route may give, declared once in the document's info: an unexpected error
// (500), the database unavailable (503 with Retry-After), the client gone before the answer (499, logged).
var anyRoute = map[int]bool{http.StatusInternalServerError: true, http.StatusServiceUnavailable: true, 499: true}

// validate checks a JSON body against the schema at ptr in the document.
func (cd *contractDoc) validate(name string, status int, ptr string, body []byte) string {
	sch, err := cd.schema(ptr)
	if err != nil {
		return fmt.Sprintf("%s: schema %s does not compile: %v", name, ptr, err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		return fmt.Sprintf("%s answered %d with invalid JSON: %v", name, status, err)
	}
	if err := sch.Validate(inst); err != nil {
		return fmt.Sprintf("%s answered %d with a body that does not match openapi.json: %v\nbody: %s", name, status, err, snippet(body))
	}
	return ""
}

func snippet(b []byte) string {
	if len(b) > 400 {
		return string(b[:400]) + "..."
	}
	return string(b)
}

// captureWriter passes the answer through and keeps a copy of it.
type captureWriter struct {
	http.ResponseWriter
	status int
	body   bytes.Buffer
}

func (w *captureWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *captureWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	if w.body.Len() < 8<<20 {
		w.body.Write(b)
	}
	return w.ResponseWriter.Write(b)
}

func (w *captureWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// withContract wraps the test server's handler with the contract check.
func withContract(t testing.TB, h http.Handler) http.Handler {
	cd, err := loadContract()
	if err != nil {
		t.Fatalf("contract: openapi.json: %v", err)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cw := &captureWriter{ResponseWriter: w}
		h.ServeHTTP(cw, r)
		status := cw.status
		if status == 0 {
			status = http.StatusOK
		}
		if msg := cd.check(r.Method, r.URL.Path, status, w.Header(), cw.body.Bytes()); msg != "" {
			t.Errorf("contract: %s", msg)
		}
	})
}

// TestContractCheckerCatchesDrift: the checker itself fails an unlisted status and a body off its schema.
func TestContractCheckerCatchesDrift(t *testing.T) {
	cd, err := loadContract()
	if err != nil {
		t.Fatal(err)
	}
	h := http.Header{"Content-Type": {"application/json"}}
	if msg := cd.check(http.MethodGet, "/healthz", http.StatusTeapot, h, []byte(`{}`)); !strings.Contains(msg, "does not list") {
		t.Errorf("unlisted status: %q", msg)
	}
	if msg := cd.check(http.MethodPost, "/api/v1/auth/login", http.StatusOK, h, []byte(`{"access_token":1}`)); !strings.Contains(msg, "does not match") {
		t.Errorf("body off its schema: %q", msg)
	}
	if msg := cd.check(http.MethodGet, "/healthz", http.StatusOK, http.Header{"Content-Type": {"text/html"}}, []byte(`<p>`)); !strings.Contains(msg, "declares") {
		t.Errorf("undeclared content type: %q", msg)
	}
}
