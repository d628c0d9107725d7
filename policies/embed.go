// Package policies embeds the default casbin access-control model and role→permission matrix.
//
// An administration can override both files by pointing ARGINE_POLICY_DIR at a directory holding its own
// model.conf and policy.csv; internal/authz validates them the same way at start-up.
package policies

import "embed"

// FS holds model.conf and policy.csv.
//
//go:embed model.conf policy.csv
var FS embed.FS
