package httpapi

import _ "embed"

// openAPIDocument describes every route; a test fails when it and the route table disagree.
//
//go:embed openapi.json
var openAPIDocument []byte
