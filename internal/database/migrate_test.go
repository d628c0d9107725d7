package database_test

import (
	"context"
	"io/fs"
	"reflect"
	"regexp"
	"sort"
	"sync"
	"testing"

	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/dbtest"
	"github.com/argine-pa/argine/migrations"
)

var versionRe = regexp.MustCompile(`^(\d{5})_[a-z0-9_]+\.sql$`)

func versions(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := fs.ReadDir(migrations.FS, dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		m := versionRe.FindStringSubmatch(e.Name())
		if m == nil {
			t.Fatalf("%s/%s: migration files are named NNNNN_name.sql", dir, e.Name())
		}
		out = append(out, m[1])
	}
	sort.Strings(out)
	return out
}

func TestBothDialectsHaveTheSameVersions(t *testing.T) {
	pg, lite := versions(t, "postgres"), versions(t, "sqlite")
	if len(pg) == 0 || !reflect.DeepEqual(pg, lite) {
		t.Fatalf("postgres versions %v, sqlite versions %v: they must match", pg, lite)
	}
}

func tables(t *testing.T, db *database.DB) []string {
	t.Helper()
	var names []string
	q := "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
	if db.Dialect == database.Postgres {
		q = "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name"
	}
	if err := db.Gorm.Raw(q).Scan(&names).Error; err != nil {
		t.Fatal(err)
	}
	return names
}

// TestUpDownEveryStep applies everything, rolls back one step at a time to nothing, and applies again.
func TestUpDownEveryStep(t *testing.T) {
	dbtest.Dialects(t, func(t *testing.T, open func(testing.TB) *database.DB) {
		ctx := context.Background()
		db := open(t) // migrated
		m, err := db.NewMigrator()
		if err != nil {
			t.Fatal(err)
		}
		all := m.Versions()
		if pending, _ := m.HasPending(ctx); pending {
			t.Fatal("migrations pending after Migrate")
		}
		withAll := tables(t, db)
		for i := len(all) - 1; i >= 0; i-- {
			v, err := m.Down(ctx)
			if err != nil {
				t.Fatalf("down from %d: %v", all[i], err)
			}
			if v != all[i] {
				t.Fatalf("rolled back %d, want %d", v, all[i])
			}
		}
		if got := tables(t, db); len(got) != 1 || got[0] != "goose_db_version" {
			t.Fatalf("after rolling back everything, tables left: %v", got)
		}
		if v, err := m.Down(ctx); err != nil || v != 0 {
			t.Fatalf("down on an empty schema: %d %v", v, err)
		}
		if n, err := m.Up(ctx); err != nil || n != len(all) {
			t.Fatalf("up again: %d %v", n, err)
		}
		if got := tables(t, db); !reflect.DeepEqual(got, withAll) {
			t.Fatalf("tables after up/down/up %v, want %v", got, withAll)
		}
		st, err := m.Status(ctx)
		if err != nil || len(st) != len(all) {
			t.Fatalf("status: %v %v", st, err)
		}
		for _, s := range st {
			if !s.Applied {
				t.Fatalf("version %d not applied", s.Version)
			}
		}
	})
}

// TestConcurrentMigrateUp starts several migrators on one empty PostgreSQL database at once, as several
// instances starting together would; the advisory lock makes them take turns and the schema ends complete.
// (The embedded SQLite file belongs to one instance by design, so it has no such lock.)
func TestConcurrentMigrateUp(t *testing.T) {
	{
		url := dbtest.PostgresURL(t)
		const instances = 4
		dbs := make([]*database.DB, instances)
		for i := range dbs {
			dbs[i] = dbtest.Open(t, url)
		}
		var wg sync.WaitGroup
		applied := make([]int, instances)
		errs := make([]error, instances)
		for i := range dbs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				applied[i], errs[i] = dbs[i].Migrate(context.Background())
			}()
		}
		wg.Wait()
		total := 0
		for i := range errs {
			if errs[i] != nil {
				t.Fatalf("instance %d: %v", i, errs[i])
			}
			total += applied[i]
		}
		m, _ := dbs[0].NewMigrator()
		if total != len(m.Versions()) {
			t.Fatalf("migrations applied %d times in all, want exactly %d", total, len(m.Versions()))
		}
		if pending, err := m.HasPending(context.Background()); err != nil || pending {
			t.Fatalf("pending after concurrent up: %v %v", pending, err)
		}
	}
}

func TestParseURL(t *testing.T) {
	cases := []struct {
		in      string
		dialect database.Dialect
		prefix  string
		wantErr bool
	}{
		{"", database.SQLite, "argine.db?", false},
		{"sqlite:data/x.db", database.SQLite, "data/x.db?", false},
		{"sqlite:///tmp/x.db", database.SQLite, "/tmp/x.db?", false},
		{"postgres://u:p@h/db", database.Postgres, "postgres://u:p@h/db", false},
		{"postgresql://h/db", database.Postgres, "postgresql://h/db", false},
		{"mysql://h/db", "", "", true},
	}
	for _, c := range cases {
		got, err := database.ParseURL(c.in)
		if (err != nil) != c.wantErr {
			t.Fatalf("%q: err %v", c.in, err)
		}
		if err == nil && (got.Dialect != c.dialect || len(got.DSN) < len(c.prefix) || got.DSN[:len(c.prefix)] != c.prefix) {
			t.Fatalf("%q: got %+v", c.in, got)
		}
	}
}
