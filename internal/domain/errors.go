// Package domain holds Argine's entities and rules. It knows nothing about HTTP or SQL.
package domain

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Sentinel errors: the whole application maps these, and only these, to HTTP statuses (in httpapi).
var (
	ErrNotFound  = errors.New("not found")
	ErrInvalid   = errors.New("invalid input")
	ErrConflict  = errors.New("conflict")
	ErrForbidden = errors.New("forbidden")
)

// Error carries a stable machine code the UI translates, wrapping one of the sentinels.
type Error struct {
	Kind    error  // one of the sentinels above
	Code    string // stable, snake_case, e.g. "cycle_not_found"
	Message string // English, for logs and API clients; the UI translates Code
}

func (e *Error) Error() string { return e.Message }
func (e *Error) Unwrap() error { return e.Kind }

// NotFound builds a not-found error with a stable code.
func NotFound(code, format string, args ...any) error {
	return &Error{Kind: ErrNotFound, Code: code, Message: fmt.Sprintf(format, args...)}
}

// Conflict builds a conflict error with a stable code.
func Conflict(code, format string, args ...any) error {
	return &Error{Kind: ErrConflict, Code: code, Message: fmt.Sprintf(format, args...)}
}

// Invalid builds a bad-input error with a stable code and no field detail.
func Invalid(code, format string, args ...any) error {
	return &Error{Kind: ErrInvalid, Code: code, Message: fmt.Sprintf(format, args...)}
}

// FieldError locates one problem in the input: a JSON field path, or a file position for imports.
type FieldError struct {
	File    string `json:"file,omitempty"`
	Line    int    `json:"line,omitempty"`
	Column  string `json:"column,omitempty"`
	Field   string `json:"field,omitempty"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

func (f FieldError) String() string {
	var loc []string
	if f.File != "" {
		loc = append(loc, f.File)
	}
	if f.Line > 0 {
		loc = append(loc, fmt.Sprintf("line %d", f.Line))
	}
	if f.Column != "" {
		loc = append(loc, "column "+f.Column)
	}
	if f.Field != "" {
		loc = append(loc, "field "+f.Field)
	}
	if len(loc) == 0 {
		return f.Message
	}
	return strings.Join(loc, ", ") + ": " + f.Message
}

// ValidationError lists every problem found in one input, so the user can fix them all at once.
type ValidationError struct {
	Code      string // stable code of the whole failure, e.g. "processmap_invalid"
	Problems  []FieldError
	Truncated bool // more problems existed than were collected
}

func (e *ValidationError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d problem(s) found", len(e.Problems))
	if e.Truncated {
		b.WriteString(" (list truncated)")
	}
	for _, p := range e.Problems {
		b.WriteString("\n  ")
		b.WriteString(p.String())
	}
	return b.String()
}

func (e *ValidationError) Unwrap() error { return ErrInvalid }

// CodeOf returns the stable code of err, or a generic one derived from its sentinel.
func CodeOf(err error) string {
	var de *Error
	if errors.As(err, &de) {
		return de.Code
	}
	var ve *ValidationError
	if errors.As(err, &ve) {
		return ve.Code
	}
	var ce *ConflictError
	if errors.As(err, &ce) {
		return ce.Code
	}
	var te *ThrottledError
	if errors.As(err, &te) {
		return "too_many_attempts"
	}
	var tr *TransitionError
	if errors.As(err, &tr) {
		return "transition_not_allowed"
	}
	var be *BusyError
	if errors.As(err, &be) {
		return "server_busy"
	}
	switch {
	case errors.Is(err, ErrUnauthenticated):
		return "unauthenticated"
	case errors.Is(err, ErrNotFound):
		return "not_found"
	case errors.Is(err, ErrInvalid):
		return "invalid_input"
	case errors.Is(err, ErrConflict):
		return "conflict"
	case errors.Is(err, ErrForbidden):
		return "forbidden"
	}
	return "internal_error"
}

// ErrTooLarge means the request body exceeds its limit: 413.
var ErrTooLarge = errors.New("request too large")

// ErrUnauthenticated means the caller is not (or no longer) signed in: 401.
var ErrUnauthenticated = errors.New("unauthenticated")

// Unauthenticated builds a 401 error with a stable code.
func Unauthenticated(code, format string, args ...any) error {
	return &Error{Kind: ErrUnauthenticated, Code: code, Message: fmt.Sprintf(format, args...)}
}

// Forbidden builds a 403 error with a stable code.
func Forbidden(code, format string, args ...any) error {
	return &Error{Kind: ErrForbidden, Code: code, Message: fmt.Sprintf(format, args...)}
}

// ThrottledError says the caller must wait before trying again: 429 with Retry-After.
type ThrottledError struct {
	RetryAfter time.Duration
}

func (e *ThrottledError) Error() string {
	return fmt.Sprintf("too many failed attempts: retry in %s", e.RetryAfter.Round(time.Second))
}

// BusyError says the server is at its capacity for an expensive operation (password hashing): 503 with
// Retry-After. Nothing was done; the same request may be sent again after RetryAfter.
type BusyError struct {
	RetryAfter time.Duration
}

func (e *BusyError) Error() string {
	return fmt.Sprintf("too many sign-ins in progress: retry in %s", e.RetryAfter.Round(time.Second))
}

// ConflictError is a conflict that tells the client, in machine-readable members, what it conflicts with:
// a stale write (optimistic locking) carries the current version; an operation held up by unfinished items
// carries how many block it and which (see Blocked).
type ConflictError struct {
	Code           string
	Message        string
	CurrentVersion int64    // stale write: the version that is current now
	Pending        int      // blocked operation: how many items block it
	Blockers       []string // blocked operation: the codes of the first MaxBlockers of them, in order
}

// MaxBlockers caps the blockers a ConflictError lists; Pending still counts them all.
const MaxBlockers = 50

// Blocked builds the conflict of an operation that the given items (codes, in order) still hold up.
func Blocked(code string, blockers []string, format string, args ...any) error {
	return &ConflictError{Code: code, Message: fmt.Sprintf(format, args...), Pending: len(blockers),
		Blockers: slices.Clone(blockers[:min(len(blockers), MaxBlockers)])}
}

func (e *ConflictError) Error() string { return e.Message }
func (e *ConflictError) Unwrap() error { return ErrConflict }
