package dbtest

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"sync"

	"gorm.io/gorm"

	"github.com/argine-pa/argine/internal/database"
)

// Migrating a PostgreSQL schema (some sixty tables, their indexes, triggers and functions) took seconds per
// test on a busy machine, most of the PostgreSQL suite's time. A test process therefore keeps the schemas its
// tests are done with: when a test ends, its schema is checked to still be exactly the migrated schema (the
// same tables, columns, constraints, indexes, triggers, functions, privileges and goose versions), emptied
// (rows deleted, sequences restarted, planner statistics forgotten) and handed to the next test that asks for
// one; a schema a test changed, or grew large, is dropped as before. Each test still starts from a migrated schema with no rows, its own
// while it runs.
//
// The schemas a process keeps are named tp_…; the process holds a session advisory lock per schema on one
// connection, so a process that died (its locks gone) leaves schemas that the next process sweeps away.
type pgPool struct {
	mu    sync.Mutex
	base  string // the server URL the pool was made on
	admin *database.DB
	locks *sql.Conn // holds one advisory lock per schema of this process
	free  []string

	reference string   // the fingerprint of a freshly migrated schema
	deletes   []string // the tables in an order to empty them: children before parents
	triggered []string // tables with user triggers (the audit trail's append-only guards)
	sequences []string
}

var pool pgPool

// pgLockClass is the first key of the advisory locks that mark a process's schemas.
const pgLockClass = 0x61726774 // "argt"

// maxReusedBytes is the size above which a schema is dropped rather than emptied (a test that wrote tens of
// thousands of rows would leave dead rows to every later test).
const maxReusedBytes = 32 << 20

func (p *pgPool) init(ctx context.Context, base string) error {
	if p.admin != nil {
		if p.base != base {
			return fmt.Errorf("%s changed during the test process", PostgresEnv)
		}
		return nil
	}
	admin, err := database.Open(ctx, database.Target{Dialect: database.Postgres, DSN: base}, database.Options{})
	if err != nil {
		return fmt.Errorf("PostgreSQL at %s unreachable: %w", PostgresEnv, err)
	}
	locks, err := admin.SQL().Conn(ctx)
	if err != nil {
		_ = admin.Close()
		return err
	}
	p.admin, p.locks, p.base = admin, locks, base
	// Sweep the schemas of processes that ended without dropping them.
	var names []string
	if err := admin.Gorm.Raw(`SELECT nspname FROM pg_namespace WHERE nspname LIKE 'tp\_%'`).Scan(&names).Error; err != nil {
		return err
	}
	for _, n := range names {
		var got bool
		if err := locks.QueryRowContext(ctx, "SELECT pg_try_advisory_lock($1, hashtext($2))", pgLockClass, n).Scan(&got); err != nil {
			return err
		}
		if got {
			_ = admin.Gorm.Exec("DROP SCHEMA IF EXISTS " + quoteIdent(n) + " CASCADE").Error
			_, _ = locks.ExecContext(ctx, "SELECT pg_advisory_unlock($1, hashtext($2))", pgLockClass, n)
		}
	}
	return nil
}

// newSchema creates an empty schema owned (locked) by this process.
func (p *pgPool) newSchema(ctx context.Context) (string, error) {
	name := "tp_" + random()
	if _, err := p.locks.ExecContext(ctx, "SELECT pg_advisory_lock($1, hashtext($2))", pgLockClass, name); err != nil {
		return "", err
	}
	if err := p.admin.Gorm.WithContext(ctx).Exec("CREATE SCHEMA " + quoteIdent(name)).Error; err != nil {
		return "", err
	}
	return name, nil
}

func (p *pgPool) dropSchema(ctx context.Context, name string) {
	_ = p.admin.Gorm.WithContext(ctx).Exec("DROP SCHEMA IF EXISTS " + quoteIdent(name) + " CASCADE").Error
	_, _ = p.locks.ExecContext(ctx, "SELECT pg_advisory_unlock($1, hashtext($2))", pgLockClass, name)
}

// acquire returns a migrated, empty schema: a kept one, or a new one migrated here. The lock is not held while
// migrating or emptying, so parallel tests of a process do not wait on each other (locks, the connection holding
// the advisory locks, is used under it).
func (p *pgPool) acquire(ctx context.Context, base string) (string, error) {
	p.mu.Lock()
	if err := p.init(ctx, base); err != nil {
		p.mu.Unlock()
		return "", err
	}
	if n := len(p.free); n > 0 {
		name := p.free[n-1]
		p.free = p.free[:n-1]
		p.mu.Unlock()
		return name, nil
	}
	name, err := p.newSchema(ctx)
	p.mu.Unlock()
	if err != nil {
		return "", err
	}
	drop := func() {
		p.mu.Lock()
		p.dropSchema(ctx, name)
		p.mu.Unlock()
	}
	db, err := database.Open(ctx, database.Target{Dialect: database.Postgres, DSN: withSearchPath(base, name)}, database.Options{})
	if err != nil {
		drop()
		return "", err
	}
	defer func() { _ = db.Close() }()
	if err := migrate(ctx, db); err != nil {
		drop()
		return "", fmt.Errorf("migrate: %w", err)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.reference == "" {
		if err := p.describe(ctx, name); err != nil {
			// Nothing will match: every schema is dropped after its test, as without the pool.
			p.reference = "unusable: " + err.Error()
		}
	}
	return name, nil
}

// release empties the schema for the next test, or drops it when the test changed its structure.
func (p *pgPool) release(ctx context.Context, name string) {
	p.mu.Lock()
	reference := p.reference
	p.mu.Unlock()
	fp, size, analysed, err := p.fingerprint(ctx, name)
	keep := err == nil && fp == reference && size <= maxReusedBytes && p.empty(ctx, name) == nil &&
		(!analysed || p.forgetStatistics(ctx, name) == nil)
	p.mu.Lock()
	defer p.mu.Unlock()
	if !keep {
		p.dropSchema(ctx, name)
		return
	}
	p.free = append(p.free, name)
}

// empty deletes every row but goose's and restarts the sequences, in one transaction.
func (p *pgPool) empty(ctx context.Context, name string) error {
	q := func(table string) string { return quoteIdent(name) + "." + quoteIdent(table) }
	var b strings.Builder
	for _, t := range p.triggered {
		b.WriteString("ALTER TABLE " + q(t) + " DISABLE TRIGGER USER;\n")
	}
	for _, t := range p.deletes {
		b.WriteString("DELETE FROM " + q(t) + ";\n")
	}
	for _, t := range p.triggered {
		b.WriteString("ALTER TABLE " + q(t) + " ENABLE TRIGGER USER;\n")
	}
	for _, s := range p.sequences {
		b.WriteString("ALTER SEQUENCE " + q(s) + " RESTART;\n")
	}
	return p.admin.Gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return tx.Exec(b.String()).Error
	})
}

// forgetStatistics takes an emptied schema's tables back to never analysed, as a new schema's are: no row
// estimates, no column statistics, no times of the last ANALYZE (which tests may look at). Only a superuser may
// write these catalogs; for another role it fails and the schema is dropped instead.
func (p *pgPool) forgetStatistics(ctx context.Context, name string) error {
	return p.admin.Gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		tables := `SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
			WHERE n.nspname = @name AND c.relkind = 'r'`
		for _, q := range []string{
			`DELETE FROM pg_statistic WHERE starelid IN (` + tables + `)`,
			`UPDATE pg_class SET reltuples = -1, relpages = 0, relallvisible = 0 WHERE oid IN (` + tables + `)`,
			`SELECT pg_stat_reset_single_table_counters(oid) FROM (` + tables + `) t`,
		} {
			if err := tx.Exec(q, sql.Named("name", name)).Error; err != nil {
				return err
			}
		}
		return nil
	})
}

// describe records, from the first freshly migrated schema, its fingerprint and how to empty it.
func (p *pgPool) describe(ctx context.Context, name string) error {
	fp, _, _, err := p.fingerprint(ctx, name)
	if err != nil {
		return err
	}
	order, triggered, err := tableOrder(ctx, p.admin.Gorm, name)
	if err != nil {
		return err
	}
	var seqs []string
	if err := p.admin.Gorm.WithContext(ctx).Raw(`SELECT sequencename FROM pg_sequences WHERE schemaname = ?
		AND sequencename <> 'goose_db_version_id_seq' ORDER BY sequencename`, name).Scan(&seqs).Error; err != nil {
		return err
	}
	deletes := make([]string, 0, len(order))
	for i := len(order) - 1; i >= 0; i-- {
		if order[i] != "goose_db_version" {
			deletes = append(deletes, order[i])
		}
	}
	p.reference, p.deletes, p.triggered, p.sequences = fp, deletes, triggered, seqs
	return nil
}

// fingerprint hashes what a migration makes of a schema, with the schema's own name taken out, and reports the
// size of its tables and whether any was analysed or vacuumed.
func (p *pgPool) fingerprint(ctx context.Context, name string) (string, int64, bool, error) {
	g := p.admin.Gorm.WithContext(ctx)
	var lines []string
	err := g.Raw(`WITH ns AS (SELECT oid FROM pg_namespace WHERE nspname = @name)
		SELECT 'n ' || coalesce(array_to_string(nspacl, ','), '') FROM pg_namespace WHERE oid = (SELECT oid FROM ns)
		UNION ALL SELECT 'c ' || c.relname || ' ' || c.relkind::text || ' ' || coalesce(array_to_string(c.relacl, ','), '')
			FROM pg_class c WHERE c.relnamespace = (SELECT oid FROM ns)
		UNION ALL SELECT 'a ' || c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || ' ' ||
			a.attnotnull::text || ' ' || a.attidentity::text || ' ' || a.attgenerated::text || ' ' || coalesce(pg_get_expr(d.adbin, d.adrelid), '')
			FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
			LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
			WHERE c.relnamespace = (SELECT oid FROM ns) AND a.attnum > 0 AND NOT a.attisdropped
		UNION ALL SELECT 'k ' || k.conname || ' ' || pg_get_constraintdef(k.oid)
			FROM pg_constraint k WHERE k.connamespace = (SELECT oid FROM ns)
		UNION ALL SELECT 'i ' || pg_get_indexdef(i.indexrelid)
			FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relnamespace = (SELECT oid FROM ns)
		UNION ALL SELECT 't ' || pg_get_triggerdef(tg.oid) || ' ' || tg.tgenabled::text
			FROM pg_trigger tg JOIN pg_class c ON c.oid = tg.tgrelid
			WHERE c.relnamespace = (SELECT oid FROM ns) AND NOT tg.tgisinternal
		UNION ALL SELECT 'f ' || p.proname || ' ' || md5(p.prosrc) || ' ' || coalesce(array_to_string(p.proacl, ','), '')
			FROM pg_proc p WHERE p.pronamespace = (SELECT oid FROM ns)`, sql.Named("name", name)).Scan(&lines).Error
	if err != nil {
		return "", 0, false, err
	}
	var versions string
	if err := g.Raw("SELECT coalesce(string_agg(version_id::text, ',' ORDER BY id), '') FROM " + quoteIdent(name) +
		".goose_db_version WHERE is_applied").Scan(&versions).Error; err != nil {
		return "", 0, false, err
	}
	// A schema whose tables were analysed or vacuumed carries planner statistics a fresh one does not have
	// (row estimates, times of the last ANALYZE, which tests may look at): release forgets them.
	var stats struct {
		Size     int64
		Analysed bool
	}
	if err := g.Raw(`SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)::bigint AS size,
		coalesce(bool_or(c.reltuples > 0 OR s.last_analyze IS NOT NULL OR s.last_autoanalyze IS NOT NULL
			OR s.last_vacuum IS NOT NULL OR s.last_autovacuum IS NOT NULL), false) AS analysed
		FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid
		WHERE n.nspname = ? AND c.relkind = 'r'`, name).Scan(&stats).Error; err != nil {
		return "", 0, false, err
	}
	lines = append(lines, "v "+versions)
	sort.Strings(lines)
	text := strings.ReplaceAll(strings.Join(lines, "\n"), name, "")
	sum := sha256.Sum256([]byte(text))
	return hex.EncodeToString(sum[:]), stats.Size, stats.Analysed, nil
}

// tableOrder lists a schema's tables, each after the tables it references, and the tables with user triggers.
func tableOrder(ctx context.Context, g *gorm.DB, schema string) (order, triggered []string, err error) {
	g = g.WithContext(ctx)
	var names []string
	if err := g.Raw(`SELECT tablename FROM pg_tables WHERE schemaname = ? ORDER BY tablename`, schema).Scan(&names).Error; err != nil {
		return nil, nil, err
	}
	var fks []struct{ Child, Parent string }
	if err := g.Raw(`SELECT ch.relname AS child, pa.relname AS parent FROM pg_constraint k
		JOIN pg_class ch ON ch.oid = k.conrelid JOIN pg_class pa ON pa.oid = k.confrelid
		JOIN pg_namespace n ON n.oid = ch.relnamespace
		WHERE k.contype = 'f' AND n.nspname = ?`, schema).Scan(&fks).Error; err != nil {
		return nil, nil, err
	}
	parents := map[string][]string{}
	for _, fk := range fks {
		if fk.Child != fk.Parent { // a self-reference is checked at the end of the one statement
			parents[fk.Child] = append(parents[fk.Child], fk.Parent)
		}
	}
	if err := g.Raw(`SELECT DISTINCT c.relname FROM pg_trigger tg JOIN pg_class c ON c.oid = tg.tgrelid
		JOIN pg_namespace n ON n.oid = c.relnamespace WHERE NOT tg.tgisinternal AND n.nspname = ?
		ORDER BY c.relname`, schema).Scan(&triggered).Error; err != nil {
		return nil, nil, err
	}
	if order, err = orderByForeignKeys(names, parents); err != nil {
		return nil, nil, err
	}
	return order, triggered, nil
}

func withSearchPath(base, schema string) string {
	u, err := url.Parse(base)
	if err != nil {
		return base
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
