package database

import (
	"context"
	"database/sql"
	"runtime"
	"strings"
)

// sqlitePool is the connection pool of a SQLite file in WAL mode: one writer and several readers.
//
// SQLite lets one connection write at a time; in WAL mode readers go on while it writes. With one pool of a
// few connections every transaction (BEGIN IMMEDIATE) and every autocommit write of the others waited in
// SQLite's busy handler, which polls with growing sleeps, while long reads (an export, the dashboard) held
// the connections the writers needed. Here the writes queue in Go for the single write connection, handed
// over the moment it is free, and reads run on their own connections, never behind a write:
//
//   - transactions, Exec and any statement that is not a plain query go to the writer (MaxOpenConns 1,
//     _txlock=immediate: a transaction takes the write lock at BEGIN, so two of them never deadlock upgrading
//     a read lock; busy_timeout still covers another process, such as a command-line run beside the server);
//   - SELECT (and WITH … SELECT) outside a transaction go to the readers, opened with query_only, so a write
//     routed there by mistake fails instead of writing past the queue. A read that must see its transaction's
//     writes runs inside that transaction, which is on the writer.
//
// A read after a committed write sees it: WAL makes a commit visible to every read transaction that starts
// after it, whichever the connection.
type sqlitePool struct {
	writer, reader *sql.DB
}

// readerConns is the size of the read pool: the pure-Go SQLite is CPU-bound, so a few connections per core.
func readerConns() int { return max(4, 2*runtime.GOMAXPROCS(0)) }

// openSQLiteReader opens the reader pool beside the writer when the DSN is a file in WAL mode; nil otherwise
// (an in-memory database is one database per connection, and a DSN given whole by the caller is kept as is).
func openSQLiteReader(dsn string) (*sql.DB, error) {
	path, query, ok := strings.Cut(dsn, "?")
	if !ok || !strings.Contains(query, "journal_mode(WAL)") || strings.Contains(path, ":memory:") ||
		strings.Contains(query, "mode=memory") {
		return nil, nil
	}
	query = strings.ReplaceAll(query, "_txlock=immediate", "_txlock=deferred")
	r, err := sql.Open("sqlite", path+"?"+query+"&_pragma=query_only(1)")
	if err != nil {
		return nil, err
	}
	r.SetMaxOpenConns(readerConns())
	r.SetMaxIdleConns(readerConns())
	return r, nil
}

// readOnly says whether a statement only reads: a SELECT, or a WITH whose statement is a SELECT. Anything
// else (INSERT … RETURNING, which gorm sends as a query, PRAGMA, ANALYZE) is the writer's.
func readOnly(query string) bool {
	q := strings.TrimLeft(query, " \t\r\n(")
	if len(q) < 6 {
		return false
	}
	switch strings.ToUpper(q[:4]) {
	case "SELE":
		return strings.EqualFold(q[:6], "SELECT")
	case "WITH":
		u := strings.ToUpper(q)
		for _, w := range []string{"INSERT", "UPDATE", "DELETE", "REPLACE"} {
			if strings.Contains(u, w) {
				return false // perhaps only a name or a string: the writer is always correct, only slower
			}
		}
		return true
	}
	return false
}

func (p *sqlitePool) PrepareContext(ctx context.Context, query string) (*sql.Stmt, error) {
	return p.writer.PrepareContext(ctx, query)
}

func (p *sqlitePool) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return p.writer.ExecContext(ctx, query, args...)
}

func (p *sqlitePool) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if readOnly(query) {
		return p.reader.QueryContext(ctx, query, args...)
	}
	return p.writer.QueryContext(ctx, query, args...)
}

func (p *sqlitePool) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if readOnly(query) {
		return p.reader.QueryRowContext(ctx, query, args...)
	}
	return p.writer.QueryRowContext(ctx, query, args...)
}

// BeginTx makes gorm's transactions the writer's.
func (p *sqlitePool) BeginTx(ctx context.Context, opts *sql.TxOptions) (*sql.Tx, error) {
	return p.writer.BeginTx(ctx, opts)
}

// GetDBConn is what gorm.DB.DB() returns: the writer, which migrations, the write probe and the metrics use.
func (p *sqlitePool) GetDBConn() (*sql.DB, error) { return p.writer, nil }
