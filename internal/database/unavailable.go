package database

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"net"
	"strings"
	"syscall"
)

// Unavailable reports whether err says the database cannot serve now — unreachable, restarting, out of
// connections, locked past the busy timeout, or a statement stopped by statement_timeout — rather than that
// the request was wrong or the code is. Such a failure is worth retrying later: the API answers 503 with
// Retry-After instead of 500. The drivers' knowledge stays here, in one place.
func Unavailable(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, driver.ErrBadConn) || errors.Is(err, sql.ErrConnDone) || errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	// PostgreSQL (pgconn.PgError): SQLSTATE class 08 is a connection exception; 57P01-57P03 the server
	// shutting down or starting; 53300 too many connections; 57014 a statement cancelled, which for a request
	// that was not itself cancelled means statement_timeout fired.
	var pg interface{ SQLState() string }
	if errors.As(err, &pg) {
		switch s := pg.SQLState(); {
		case strings.HasPrefix(s, "08"), s == "57P01", s == "57P02", s == "57P03", s == "53300", s == "57014":
			return true
		}
	}
	// SQLite (modernc): BUSY and LOCKED past busy_timeout, CANTOPEN, IOERR and FULL (disk full) — the primary
	// result code is the low byte of the extended one.
	var lite interface{ Code() int }
	if errors.As(err, &lite) {
		switch lite.Code() & 0xff {
		case 5, 6, 10, 13, 14: // SQLITE_BUSY, SQLITE_LOCKED, SQLITE_IOERR, SQLITE_FULL, SQLITE_CANTOPEN
			return true
		}
	}
	var netErr net.Error
	if errors.As(err, &netErr) || errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) {
		return true
	}
	// database/sql reports a closed pool with an unexported error of this text.
	return strings.Contains(err.Error(), "sql: database is closed")
}
