// Package service holds Argine's use cases: load, check, change in one transaction. HTTP and the CLI call it.
package service

import (
	"context"
	"errors"
	"strings"

	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/store"
)

// Tenant is the ente a request acts for; every read and write is scoped by it.
type Tenant struct {
	EnteID   string
	EnteCode string
}

// Entes manages the administrations hosted by this installation (platform level).
type Entes struct{ store *store.Store }

// NewEntes builds the ente service.
func NewEntes(s *store.Store) *Entes { return &Entes{store: s} }

// Create adds an ente.
func (e *Entes) Create(ctx context.Context, code, name string) (*domain.Ente, error) {
	code, name = strings.TrimSpace(code), strings.TrimSpace(name)
	var problems []domain.FieldError
	if err := domain.ValidateEnteCode(code); err != nil {
		problems = append(problems, domain.FieldError{Field: "code", Code: "ente_code_invalid", Message: err.Error()})
	}
	if name == "" {
		problems = append(problems, domain.FieldError{Field: "name", Code: "required", Message: "name is required"})
	}
	if len(problems) > 0 {
		return nil, &domain.ValidationError{Code: "ente_invalid", Problems: problems}
	}
	var ente *domain.Ente
	err := e.store.WithTx(ctx, func(tx *store.Store) (err error) {
		if ente, err = tx.CreateEnte(ctx, code, name); err != nil {
			return err
		}
		// The ente's trail starts with its own creation.
		return record(ctx, tx, operator(ente.ID), "ente", ente.Code, "create", nil, ente)
	})
	return ente, err
}

// Ensure returns the ente with this code, creating it if it does not exist (idempotent set-up, e.g. demo).
func (e *Entes) Ensure(ctx context.Context, code, name string) (*domain.Ente, error) {
	ente, err := e.store.EnteByCode(ctx, code)
	if err == nil {
		return ente, nil
	}
	if !errors.Is(err, domain.ErrNotFound) {
		return nil, err
	}
	ente, err = e.Create(ctx, code, name)
	if errors.Is(err, domain.ErrConflict) { // created concurrently by another instance
		return e.store.EnteByCode(ctx, code)
	}
	return ente, err
}

// List returns every ente.
func (e *Entes) List(ctx context.Context) ([]domain.Ente, error) { return e.store.Entes(ctx) }

// TenantByCode resolves an ente code to the tenant it designates.
func (e *Entes) TenantByCode(ctx context.Context, code string) (Tenant, error) {
	ente, err := e.store.EnteByCode(ctx, code)
	if err != nil {
		return Tenant{}, err
	}
	return Tenant{EnteID: ente.ID, EnteCode: ente.Code}, nil
}
