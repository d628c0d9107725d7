// Package publiccode checks the repository's publiccode.yml against the publiccode.yml standard, version 0.7
// (https://yml.publiccode.tools). The official validator (github.com/italia/publiccode-parser-go) cannot be
// fetched in this project's build environment, so the test encodes the standard's documented keys, values
// and bounds instead: it rejects what the validator rejects and also what it only warns about (deprecated
// keys), so the file stays clean for the Developers Italia catalogue.
package publiccode
