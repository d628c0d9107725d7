// Package httpapi is the HTTP layer: thin gin handlers (decode, validate, call a service, respond) and the one
// table of routes.
package httpapi

import (
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/service"
)

// Permission names what a route requires. Every route declares one; the access issue enforces them.
type Permission string

const (
	PermPublic         Permission = "public"          // health probes and the API description
	PermProcessMapRead Permission = "processmap:read" // read the map of the caller's ente
)

// Route is one entry of the route table.
type Route struct {
	Method     string
	Path       string
	Permission Permission
	Tenant     bool // the handler acts for one ente, resolved before it runs
	Handler    gin.HandlerFunc
}

// Deps are the services the API calls.
type Deps struct {
	DB       *database.DB
	Entes    *service.Entes
	Maps     *service.ProcessMaps
	Log      *slog.Logger
	UI       http.Handler // serves the single-page app for non-API paths; nil for none
	Version  string
	ReadOnly bool
}

type api struct{ Deps }

// Routes lists every route of the application: reading this function is reading the API surface.
func (a *api) Routes() []Route {
	return []Route{
		{http.MethodGet, "/healthz", PermPublic, false, a.healthz},
		{http.MethodGet, "/readyz", PermPublic, false, a.readyz},
		{http.MethodGet, "/api/v1/openapi.json", PermPublic, false, a.openapi},
		{http.MethodGet, "/api/v1/cycles", PermProcessMapRead, true, a.listCycles},
		{http.MethodGet, "/api/v1/cycles/:cycle/process-map", PermProcessMapRead, true, a.getProcessMap},
		{http.MethodGet, "/api/v1/cycles/:cycle/nodes", PermProcessMapRead, true, a.searchNodes},
		{http.MethodGet, "/api/v1/cycles/:cycle/nodes/:code", PermProcessMapRead, true, a.getNode},
	}
}

// NewRouter builds the gin engine with the middleware chain and the route table.
func NewRouter(d Deps) *gin.Engine {
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	a := &api{Deps: d}
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.HandleMethodNotAllowed = true
	r.RedirectTrailingSlash = false
	r.Use(requestID(), accessLog(d.Log), recovery(d.Log), securityHeaders())
	for _, rt := range a.Routes() {
		chain := []gin.HandlerFunc{}
		if rt.Tenant {
			chain = append(chain, a.resolveTenant)
		}
		chain = append(chain, rt.Handler)
		r.Handle(rt.Method, rt.Path, chain...)
	}
	r.NoMethod(func(c *gin.Context) {
		writeProblem(c, Problem{Status: http.StatusMethodNotAllowed, Code: "method_not_allowed",
			Detail: "this method is not allowed on this resource"})
	})
	r.NoRoute(a.noRoute)
	return r
}

// RouteTable returns the route table without dependencies, for documentation and tests.
func RouteTable() []Route { return (&api{}).Routes() }
