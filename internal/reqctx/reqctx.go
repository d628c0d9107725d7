// Package reqctx carries what the audit trail records about a request (its id and client address) from the
// HTTP layer to the services, through the context.
package reqctx

import "context"

// Info describes the request a change comes from.
type Info struct {
	RequestID  string
	ClientAddr string
}

type key struct{}

// With returns ctx carrying info.
func With(ctx context.Context, info Info) context.Context { return context.WithValue(ctx, key{}, info) }

// From returns the request info of ctx; outside a request (the command line) it names the local operator.
func From(ctx context.Context) Info {
	if info, ok := ctx.Value(key{}).(Info); ok {
		return info
	}
	return Info{ClientAddr: "local"}
}
