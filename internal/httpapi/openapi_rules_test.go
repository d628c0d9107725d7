package httpapi_test

import (
	"encoding/json"
	"net/http"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/argine-pa/argine/internal/dbtest"
)

// TestOpenAPIIsAProduct holds openapi.json to the rules a reader of the API relies on (and Redocly's and
// Spectral's recommended rules check): every operation has a unique operationId, a summary and a longer
// description, tags that the document declares (with a description each), an explicit security requirement
// (an empty one on public routes, the bearer scheme elsewhere), a success answer, and the errors its kind of
// route can give: 401 and 403 behind sign-in, 404 on a path naming a resource, 422 for a request body.
func TestOpenAPIIsAProduct(t *testing.T) {
	data, err := os.ReadFile("openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Tags []struct {
			Name        string `json:"name"`
			Description string `json:"description"`
		} `json:"tags"`
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	declared := map[string]bool{}
	for _, tag := range doc.Tags {
		if strings.TrimSpace(tag.Description) == "" {
			t.Errorf("tag %q has no description", tag.Name)
		}
		declared[tag.Name] = true
	}
	ids := map[string]string{}
	var problems []string
	for path, methods := range doc.Paths {
		for method, raw := range methods {
			switch method {
			case "get", "put", "post", "delete", "patch":
			default:
				continue
			}
			var op struct {
				OperationID string                     `json:"operationId"`
				Summary     string                     `json:"summary"`
				Description string                     `json:"description"`
				Tags        []string                   `json:"tags"`
				Security    *[]map[string][]string     `json:"security"`
				Permission  string                     `json:"x-permission"`
				RequestBody json.RawMessage            `json:"requestBody"`
				Responses   map[string]json.RawMessage `json:"responses"`
			}
			if err := json.Unmarshal(raw, &op); err != nil {
				t.Fatalf("%s %s: %v", method, path, err)
			}
			name := strings.ToUpper(method) + " " + path
			bad := func(what string) { problems = append(problems, name+": "+what) }
			if op.OperationID == "" {
				bad("no operationId")
			} else if other, dup := ids[op.OperationID]; dup {
				bad("operationId " + op.OperationID + " also used by " + other)
			}
			ids[op.OperationID] = name
			if strings.TrimSpace(op.Summary) == "" {
				bad("no summary")
			}
			if d := strings.TrimSpace(op.Description); d == "" || d == strings.TrimSpace(op.Summary) {
				bad("no description (beyond the summary)")
			}
			if len(op.Tags) == 0 {
				bad("no tag")
			}
			for _, tag := range op.Tags {
				if !declared[tag] {
					bad("tag " + tag + " is not declared in the document's tags")
				}
			}
			public := op.Permission == "public"
			switch {
			case op.Security == nil:
				bad("no security requirement (public routes declare security: [])")
			case public && len(*op.Security) != 0:
				bad("public route with a security requirement")
			case !public && len(*op.Security) == 0:
				bad("route behind sign-in declares no security requirement")
			}
			ok2xx := false
			for code := range op.Responses {
				if strings.HasPrefix(code, "2") || strings.HasPrefix(code, "3") {
					ok2xx = true
				}
			}
			if !ok2xx {
				bad("no success response")
			}
			need := func(code, why string) {
				if _, ok := op.Responses[code]; !ok {
					bad("response " + code + " not listed (" + why + ")")
				}
			}
			if !public {
				need("401", "every route behind sign-in")
				if !beforePasswordChange[name] {
					need("403", "a temporary password or a role without the permission")
				}
			}
			if strings.Contains(path, "{") && strings.HasPrefix(path, "/api/") {
				need("404", "the path names a resource")
			}
			if op.RequestBody != nil {
				need("422", "the request has a body")
			}
		}
	}
	sort.Strings(problems)
	for _, p := range problems {
		t.Error(p)
	}
}

// beforePasswordChange are the routes a user with a temporary password may call (middleware.go): they need no
// permission beyond sign-in, so they never answer 403.
var beforePasswordChange = map[string]bool{"GET /api/v1/me": true, "POST /api/v1/me/password": true, "POST /api/v1/auth/logout": true}

// TestCommentsOnANonLeafAre409: assessments, and so their comments, attach to leaves; asking for the comments of
// a sub-process answers 409 node_not_leaf, and the contract check (contract_test.go) holds the document to it.
func TestCommentsOnANonLeafAre409(t *testing.T) {
	s := newServer(t, dbtest.SQLite(t))
	rpct := s.login("rpct")
	decodeProblem(t, s.get("/api/v1/cycles/2026-2028/nodes/C2.2/assessment/comments", rpct), http.StatusConflict, "node_not_leaf")
	decodeProblem(t, s.do(request{method: http.MethodPost, path: "/api/v1/cycles/2026-2028/nodes/C2.2/assessment/comments",
		token: rpct, body: `{"body":"osservazione"}`}), http.StatusConflict, "node_not_leaf")
}
