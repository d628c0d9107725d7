package database

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/glebarez/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

func TestReadOnlyStatements(t *testing.T) {
	for q, want := range map[string]bool{
		"SELECT 1":                                     true,
		"  select * from t":                            true,
		"(SELECT 1) UNION ALL (SELECT 2)":              true,
		"WITH x AS (SELECT 1) SELECT * FROM x":         true,
		"WITH x AS (SELECT 1) INSERT INTO t VALUES(1)": false,
		"INSERT INTO t VALUES (1) RETURNING id":        false,
		"UPDATE t SET a = 1":                           false,
		"PRAGMA table_info(t)":                         false,
		"ANALYZE t":                                    false,
		"SELEC":                                        false,
	} {
		if got := readOnly(q); got != want {
			t.Errorf("readOnly(%q) = %v, want %v", q, got, want)
		}
	}
}

// TestSQLiteReadersAndWriter checks on a WAL file that reads and writes go to their own pools: a read pool
// that refuses writes (query_only), a write pool of one connection, and a commit seen at once by a read.
func TestSQLiteReadersAndWriter(t *testing.T) {
	target, err := ParseURL("sqlite:" + filepath.Join(t.TempDir(), "pool.db"))
	if err != nil {
		t.Fatal(err)
	}
	d, err := Open(context.Background(), target, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = d.Close() }()
	if d.reader == nil || d.SQL().Stats().MaxOpenConnections != 1 {
		t.Fatalf("reader pool %v, writer max connections %d", d.reader != nil, d.SQL().Stats().MaxOpenConnections)
	}
	if _, err := d.reader.Exec("CREATE TABLE refused (id INTEGER)"); err == nil {
		t.Fatal("the read pool accepted a write")
	}
	g := d.Gorm
	if err := g.Exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)").Error; err != nil {
		t.Fatal(err)
	}
	// gorm sends INSERT … RETURNING as a query: it must reach the writer.
	var id int64
	if err := g.Raw("INSERT INTO t (v) VALUES ('a') RETURNING id").Scan(&id).Error; err != nil || id != 1 {
		t.Fatalf("insert returning: %d %v", id, err)
	}
	for i := range 20 {
		if err := g.Transaction(func(tx *gorm.DB) error {
			return tx.Exec("UPDATE t SET v = ? WHERE id = 1", fmt.Sprint(i)).Error
		}); err != nil {
			t.Fatal(err)
		}
		var v string
		if err := g.Raw("SELECT v FROM t WHERE id = 1").Scan(&v).Error; err != nil || v != fmt.Sprint(i) {
			t.Fatalf("read after commit %d: %q %v", i, v, err)
		}
	}
}

// BenchmarkSQLitePools compares, on one WAL file, the pool SQLite had (four connections shared by reads and
// writes, every transaction BEGIN IMMEDIATE waiting in SQLite's busy handler) with the split pool (one writer
// queued in Go, readers apart): 50 goroutines, one in five running a short write transaction, the others a
// read that scans 20,000 rows. It reports the 99th percentile of the writes and of the reads.
//
//	go test ./internal/database -run '^$' -bench BenchmarkSQLitePools -benchtime 3s
func BenchmarkSQLitePools(b *testing.B) {
	for _, mode := range []string{"shared4", "split"} {
		b.Run(mode, func(b *testing.B) {
			dsn := sqliteDSN(filepath.Join(b.TempDir(), "bench.db"))
			var g *gorm.DB
			if mode == "split" {
				d, err := Open(context.Background(), Target{Dialect: SQLite, DSN: dsn}, Options{})
				if err != nil {
					b.Fatal(err)
				}
				defer func() { _ = d.Close() }()
				g = d.Gorm
			} else {
				var err error
				if g, err = gorm.Open(sqlite.Open(dsn), &gorm.Config{Logger: logger.Discard, SkipDefaultTransaction: true}); err != nil {
					b.Fatal(err)
				}
				s, _ := g.DB()
				s.SetMaxOpenConns(4)
				s.SetMaxIdleConns(4)
				defer func() { _ = s.Close() }()
			}
			if err := g.Exec("CREATE TABLE t (id INTEGER PRIMARY KEY, k INTEGER, v TEXT)").Error; err != nil {
				b.Fatal(err)
			}
			if err := g.Exec("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000) " +
				"INSERT INTO t (id, k, v) SELECT i, i % 50, 'x' FROM n").Error; err != nil {
				b.Fatal(err)
			}
			var mu sync.Mutex
			var writes, reads []time.Duration
			b.SetParallelism(25)
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				var w, r []time.Duration
				for pb.Next() {
					start := time.Now()
					if rand.IntN(5) == 0 {
						id := 1 + rand.IntN(20000)
						if err := g.Transaction(func(tx *gorm.DB) error {
							if err := tx.Exec("UPDATE t SET v = v || 'y' WHERE id = ?", id).Error; err != nil {
								return err
							}
							return tx.Exec("UPDATE t SET v = 'x' WHERE id = ? AND length(v) > 20", id).Error
						}); err != nil {
							b.Error(err)
							return
						}
						w = append(w, time.Since(start))
						continue
					}
					var n []struct{ K, C int }
					if err := g.Raw("SELECT k, COUNT(*) AS c FROM t WHERE v <> '' GROUP BY k").Scan(&n).Error; err != nil {
						b.Error(err)
						return
					}
					r = append(r, time.Since(start))
				}
				mu.Lock()
				writes, reads = append(writes, w...), append(reads, r...)
				mu.Unlock()
			})
			b.StopTimer()
			p99 := func(d []time.Duration) float64 {
				if len(d) == 0 {
					return 0
				}
				slices.Sort(d)
				return float64(d[len(d)*99/100].Microseconds()) / 1000
			}
			b.ReportMetric(p99(writes), "write-p99-ms")
			b.ReportMetric(p99(reads), "read-p99-ms")
		})
	}
}
