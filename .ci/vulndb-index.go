//go:build ignore

// Command vulndb-index turns the OSV entries shipped in the golang.org/x/vulndb module (data/osv/*.json) into a
// Go vulnerability database in the v1 layout that `govulncheck -db file:///DIR` reads:
//
//	DIR/index/db.json       {"modified": newest entry's modified time}
//	DIR/index/modules.json  [{"path": module, "vulns": [{"id", "modified", "fixed"?}]}], sorted by path and id
//	DIR/index/vulns.json    [{"id", "modified", "aliases"}], sorted by id
//	DIR/ID/<id>.json        each OSV entry as shipped
//
// The online database is not reachable from these machines, and x/vulndb's own generators (cmd/gendb,
// cmd/indexdb) pull in git, Cloud and gRPC client libraries: this standard-library-only program does the one
// step we need. Run by .ci/govulncheck.sh: go run .ci/vulndb-index.go -osv MODDIR/data/osv -out DIR
//
// "fixed" in modules.json is only a hint that lets the client skip reading entries already fixed in the
// version in use; it is left out here (the field is optional in the v1 schema), so govulncheck reads every
// entry of a module it finds and decides on the affected ranges inside each entry, which is what it does anyway.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// entry holds the fields of an OSV record that the index needs.
type entry struct {
	ID       string    `json:"id"`
	Modified time.Time `json:"modified"`
	Aliases  []string  `json:"aliases"`
	Affected []struct {
		Package struct {
			Name      string `json:"name"`
			Ecosystem string `json:"ecosystem"`
		} `json:"package"`
	} `json:"affected"`
}

type moduleVuln struct {
	ID       string    `json:"id"`
	Modified time.Time `json:"modified"`
}

type moduleMeta struct {
	Path  string       `json:"path"`
	Vulns []moduleVuln `json:"vulns"`
}

type vulnMeta struct {
	ID       string    `json:"id"`
	Modified time.Time `json:"modified"`
	Aliases  []string  `json:"aliases,omitempty"`
}

func main() {
	osvDir := flag.String("osv", "", "directory holding the OSV entries (<ID>.json)")
	outDir := flag.String("out", "", "directory to write the database to (replaced if it exists)")
	modified := flag.String("modified", "", "the database's modification time (RFC 3339), e.g. the vulndb "+
		"module version's time; default: the newest entry's modified time")
	flag.Parse()
	if *osvDir == "" || *outDir == "" {
		log.Fatal("usage: go run .ci/vulndb-index.go -osv DIR -out DIR [-modified TIME]")
	}
	var dbModified time.Time
	if *modified != "" {
		t, err := time.Parse(time.RFC3339, *modified)
		if err != nil {
			log.Fatalf("-modified: %v", err)
		}
		dbModified = t
	}
	if err := build(*osvDir, *outDir, dbModified); err != nil {
		log.Fatal(err)
	}
}

// build writes the database; dbModified, when set, is used for index/db.json instead of the newest entry's
// time, because the entries stored in the module carry no modified time (the online database sets it when it
// deploys them from git history).
func build(osvDir, outDir string, dbModified time.Time) error {
	files, err := filepath.Glob(filepath.Join(osvDir, "*.json"))
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return fmt.Errorf("no OSV entries in %s", osvDir)
	}
	// Write into a sibling temporary directory and rename at the end, so an interrupted run never leaves a
	// half-built database that a later run would take as complete.
	tmp := outDir + ".tmp"
	if err := os.RemoveAll(tmp); err != nil {
		return err
	}
	for _, d := range []string{filepath.Join(tmp, "index"), filepath.Join(tmp, "ID")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
	}

	var newest time.Time
	modules := map[string]*moduleMeta{}
	vulns := make([]vulnMeta, 0, len(files))
	for _, file := range files {
		raw, err := os.ReadFile(file)
		if err != nil {
			return err
		}
		var e entry
		if err := json.Unmarshal(raw, &e); err != nil {
			return fmt.Errorf("%s: %w", file, err)
		}
		if e.ID == "" || filepath.Base(file) != e.ID+".json" {
			return fmt.Errorf("%s: the file name must be the entry's id (%q)", file, e.ID)
		}
		if e.Modified.After(newest) {
			newest = e.Modified
		}
		vulns = append(vulns, vulnMeta{ID: e.ID, Modified: e.Modified, Aliases: e.Aliases})
		seen := map[string]bool{}
		for _, a := range e.Affected {
			path := a.Package.Name
			if path == "" || seen[path] {
				continue
			}
			seen[path] = true
			m := modules[path]
			if m == nil {
				m = &moduleMeta{Path: path}
				modules[path] = m
			}
			m.Vulns = append(m.Vulns, moduleVuln{ID: e.ID, Modified: e.Modified})
		}
		if err := os.WriteFile(filepath.Join(tmp, "ID", e.ID+".json"), raw, 0o644); err != nil {
			return err
		}
	}

	if !dbModified.IsZero() {
		newest = dbModified
	}
	moduleList := make([]*moduleMeta, 0, len(modules))
	for _, m := range modules {
		sort.Slice(m.Vulns, func(i, j int) bool { return m.Vulns[i].ID < m.Vulns[j].ID })
		moduleList = append(moduleList, m)
	}
	sort.Slice(moduleList, func(i, j int) bool { return moduleList[i].Path < moduleList[j].Path })
	sort.Slice(vulns, func(i, j int) bool { return vulns[i].ID < vulns[j].ID })

	for name, v := range map[string]any{
		"db.json":      map[string]time.Time{"modified": newest},
		"modules.json": moduleList,
		"vulns.json":   vulns,
	} {
		b, err := json.Marshal(v)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(tmp, "index", name), b, 0o644); err != nil {
			return err
		}
	}
	if err := os.RemoveAll(outDir); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if err := os.Rename(tmp, outDir); err != nil {
		return err
	}
	fmt.Printf("vulndb-index: %d entries, %d modules, newest %s -> %s\n",
		len(vulns), len(moduleList), newest.Format(time.RFC3339), strings.TrimSuffix(outDir, "/"))
	return nil
}
