// Package httpapi is the HTTP layer: thin gin handlers (decode, validate, call a service, respond) and the one
// table of routes.
package httpapi

import (
	"fmt"
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/argine-pa/argine/internal/authz"
	"github.com/argine-pa/argine/internal/database"
	"github.com/argine-pa/argine/internal/document"
	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/metrics"
	"github.com/argine-pa/argine/internal/replica"
	"github.com/argine-pa/argine/internal/service"
)

// Permission is what a route requires: nothing (public), a signed-in user, or an object and action of the
// policy checked at the ente level. Services check again, on the loaded resource and its owning units.
type Permission struct {
	Object authz.Object
	Action authz.Action
	// OnUnits marks a permission held on organisational units (e.g. a director writing assessments): the
	// route lets through whoever holds it on some unit, and the service checks the resource's own units.
	OnUnits bool
}

var (
	PermPublic        = Permission{Object: "public"}
	PermAuthenticated = Permission{Object: "authenticated"}
)

func perm(o authz.Object, a authz.Action) Permission { return Permission{Object: o, Action: a} }

func unitPerm(o authz.Object, a authz.Action) Permission {
	return Permission{Object: o, Action: a, OnUnits: true}
}

func (p Permission) String() string {
	switch {
	case p.Action == "":
		return string(p.Object)
	case p.OnUnits:
		return string(p.Object) + ":" + string(p.Action) + "@unit"
	}
	return string(p.Object) + ":" + string(p.Action)
}

// Route is one entry of the route table.
type Route struct {
	Method     string
	Path       string
	Permission Permission
	Handler    gin.HandlerFunc
}

// Deps are the services the API calls.
type Deps struct {
	DB             *database.DB
	Auth           *service.Auth
	Authz          *authz.Authorizer
	Users          *service.Users
	Maps           *service.ProcessMaps
	Catalogues     *service.Catalogues
	Methodologies  *service.Methodologies
	Register       *service.Register
	Audit          *service.Audit
	Workflow       *service.Workflow
	Cycles         *service.Cycles
	OIVNotes       *service.OIVNotes
	Monitoring     *service.Monitoring
	Evidence       *service.Evidence
	Sottosezione   *service.Sottosezione
	Programme      *service.Programme
	Transparency   *service.Transparency
	Notifications  *service.Notifications
	Calendar       *service.Calendar
	Documents      *document.Renderer    // LibreOffice for the PDFs; nil or unavailable: ODT and DOCX only
	SSO            *service.SingleSignOn // single sign-on (ARGINE_OIDC_CONFIG_FILE); nil: password sign-in only
	Log            *slog.Logger
	UI             http.Handler // serves the single-page app for non-API paths; nil for none
	Version        string
	TrustedProxies []string // addresses whose X-Forwarded-For is believed; none by default
	HSTS           bool     // send Strict-Transport-Security: users reach the server over https (ARGINE_PUBLIC_URL)
	// Metrics counts and times every request; /metrics serves it to MetricsToken's bearer, and answers 404
	// when either is missing (the endpoint is off by default).
	Metrics      *metrics.Metrics
	MetricsToken string
	// Replica sends the reads of the read-only routes (replica.go) to a current PostgreSQL streaming replica
	// and hands callers their read-your-writes position; nil: every read on the primary, as without replicas.
	Replica *replica.Router
}

type api struct{ Deps }

// Routes lists every route of the application: reading this function is reading the API surface.
func (a *api) Routes() []Route {
	return []Route{
		{http.MethodGet, "/healthz", PermPublic, a.healthz},
		{http.MethodGet, "/readyz", PermPublic, a.readyz},
		{http.MethodGet, "/api/v1/openapi.json", PermPublic, a.openapi},

		{http.MethodPost, "/api/v1/auth/login", PermPublic, a.login},
		{http.MethodPost, "/api/v1/auth/refresh", PermPublic, a.refresh},
		{http.MethodPost, "/api/v1/auth/logout", PermAuthenticated, a.logout},
		{http.MethodGet, "/api/v1/me", PermAuthenticated, a.me},
		{http.MethodPost, "/api/v1/me/password", PermAuthenticated, a.changePassword},
		{http.MethodPost, "/api/v1/auth/mfa", PermPublic, a.completeMFA},
		// Single sign-on (handlers_oidc.go): browser navigations to and back from the ente's provider.
		{http.MethodGet, "/api/v1/auth/oidc/providers", PermPublic, a.oidcProviders},
		{http.MethodGet, "/api/v1/auth/oidc/:ente/login", PermPublic, a.oidcLogin},
		{http.MethodGet, "/api/v1/auth/oidc/:ente/callback", PermPublic, a.oidcCallback},
		{http.MethodGet, "/api/v1/me/sessions", PermAuthenticated, a.mySessions},
		{http.MethodDelete, "/api/v1/me/sessions/:id", PermAuthenticated, a.endMySession},
		{http.MethodGet, "/api/v1/me/mfa", PermAuthenticated, a.myMFA},
		{http.MethodPost, "/api/v1/me/mfa/totp", PermAuthenticated, a.startMFA},
		{http.MethodPost, "/api/v1/me/mfa/totp/confirm", PermAuthenticated, a.confirmMFA},
		// Everyone's own notifications (service/notifications.go): the service scopes them to the caller.
		{http.MethodGet, "/api/v1/me/notifications", PermAuthenticated, a.listNotifications},
		{http.MethodGet, "/api/v1/me/notifications/unread-count", PermAuthenticated, a.unreadNotifications},
		{http.MethodPost, "/api/v1/me/notifications/read-all", PermAuthenticated, a.readAllNotifications},
		{http.MethodPost, "/api/v1/me/notifications/:id/read", PermAuthenticated, a.readNotification},
		{http.MethodGet, "/api/v1/me/notification-preferences", PermAuthenticated, a.getNotificationPreferences},
		{http.MethodPut, "/api/v1/me/notification-preferences", PermAuthenticated, a.putNotificationPreferences},

		{http.MethodGet, "/api/v1/cycles", perm(authz.ObjProcessMap, authz.ActRead), a.listCycles},
		{http.MethodGet, "/api/v1/cycles/:cycle/process-map", perm(authz.ObjProcessMap, authz.ActRead), a.getProcessMap},
		{http.MethodGet, "/api/v1/cycles/:cycle/nodes", perm(authz.ObjProcessMap, authz.ActRead), a.searchNodes},
		{http.MethodGet, "/api/v1/cycles/:cycle/nodes/:code", perm(authz.ObjProcessMap, authz.ActRead), a.getNode},

		{http.MethodGet, "/api/v1/catalogue/risk-events", perm(authz.ObjCatalogue, authz.ActRead), a.listRiskEvents},
		{http.MethodPost, "/api/v1/catalogue/risk-events", perm(authz.ObjCatalogue, authz.ActWrite), a.createRiskEvent},
		{http.MethodPatch, "/api/v1/catalogue/risk-events/:code", perm(authz.ObjCatalogue, authz.ActWrite), a.updateRiskEvent},
		{http.MethodGet, "/api/v1/catalogue/enabling-factors", perm(authz.ObjCatalogue, authz.ActRead), a.listEnablingFactors},
		{http.MethodPost, "/api/v1/catalogue/enabling-factors", perm(authz.ObjCatalogue, authz.ActWrite), a.createEnablingFactor},
		{http.MethodGet, "/api/v1/catalogue/measure-types", perm(authz.ObjCatalogue, authz.ActRead), a.listMeasureTypes},
		{http.MethodGet, "/api/v1/catalogue/general-measures", perm(authz.ObjCatalogue, authz.ActRead), a.listGeneralMeasures},
		{http.MethodPut, "/api/v1/catalogue/general-measures/:code/enabling-factors", perm(authz.ObjCatalogue, authz.ActWrite), a.setGeneralMeasureFactors},

		{http.MethodGet, "/api/v1/methodology/profiles", perm(authz.ObjMethodology, authz.ActRead), a.listProfiles},
		{http.MethodGet, "/api/v1/cycles/:cycle/methodology", perm(authz.ObjMethodology, authz.ActRead), a.getMethodology},
		{http.MethodPut, "/api/v1/cycles/:cycle/methodology", perm(authz.ObjMethodology, authz.ActWrite), a.chooseMethodology},
		{http.MethodPost, "/api/v1/cycles/:cycle/methodology/score", perm(authz.ObjMethodology, authz.ActRead), a.scoreJudgement},
		{http.MethodPut, "/api/v1/cycles/:cycle/methodology/wording", perm(authz.ObjMethodology, authz.ActWrite), a.correctMethodologyWording},
		{http.MethodGet, "/api/v1/methodology/ente-profiles", perm(authz.ObjMethodology, authz.ActRead), a.listEnteProfiles},
		{http.MethodPost, "/api/v1/methodology/ente-profiles", perm(authz.ObjMethodology, authz.ActWrite), a.createEnteProfile},
		{http.MethodGet, "/api/v1/methodology/ente-profiles/:code", perm(authz.ObjMethodology, authz.ActRead), a.getEnteProfile},
		{http.MethodPut, "/api/v1/methodology/ente-profiles/:code", perm(authz.ObjMethodology, authz.ActWrite), a.updateEnteProfile},
		{http.MethodPost, "/api/v1/methodology/preview", perm(authz.ObjMethodology, authz.ActRead), a.previewProfile},

		{http.MethodGet, "/api/v1/cycles/:cycle/nodes/:code/assessment", perm(authz.ObjAssessment, authz.ActRead), a.getAssessment},
		{http.MethodPut, "/api/v1/cycles/:cycle/nodes/:code/assessment", unitPerm(authz.ObjAssessment, authz.ActWrite), a.putAssessment},
		// Transitions: submit needs a director of the leaf's units, the others the RPCT; the service decides.
		{http.MethodPost, "/api/v1/cycles/:cycle/nodes/:code/assessment/transitions", perm(authz.ObjAssessment, authz.ActRead), a.transitionAssessment},
		{http.MethodPost, "/api/v1/cycles/:cycle/assessments/transitions", perm(authz.ObjAssessment, authz.ActRead), a.bulkTransition},
		{http.MethodGet, "/api/v1/cycles/:cycle/nodes/:code/assessment/comments", perm(authz.ObjAssessment, authz.ActRead), a.listComments},
		{http.MethodPost, "/api/v1/cycles/:cycle/nodes/:code/assessment/comments", perm(authz.ObjAssessment, authz.ActRead), a.addComment},
		{http.MethodGet, "/api/v1/cycles/:cycle/progress", perm(authz.ObjAssessment, authz.ActRead), a.getProgress},
		{http.MethodPut, "/api/v1/cycles/:cycle/campaign", perm(authz.ObjCycle, authz.ActManage), a.setDeadline},
		{http.MethodGet, "/api/v1/cycles/:cycle/calendar", perm(authz.ObjCycle, authz.ActRead), a.getCalendar},
		{http.MethodPut, "/api/v1/cycles/:cycle/calendar", perm(authz.ObjCycle, authz.ActManage), a.putCalendar},
		{http.MethodPost, "/api/v1/cycles/:cycle/exclusions", perm(authz.ObjCycle, authz.ActManage), a.excludeLeaf},
		{http.MethodDelete, "/api/v1/cycles/:cycle/exclusions/:code", perm(authz.ObjCycle, authz.ActManage), a.includeLeaf},
		// The campaign's leaves and shared work (internal/service/campaign.go, bulk.go): the service checks the
		// leaf's units, the lead unit, and each bulk target.
		{http.MethodGet, "/api/v1/cycles/:cycle/leaves", perm(authz.ObjAssessment, authz.ActRead), a.listLeaves},
		{http.MethodPut, "/api/v1/cycles/:cycle/nodes/:code/lead-unit", perm(authz.ObjCycle, authz.ActManage), a.setLeadUnit},
		{http.MethodPost, "/api/v1/cycles/:cycle/nodes/:code/assessment/hand-off", unitPerm(authz.ObjAssessment, authz.ActWrite), a.handOff},
		{http.MethodDelete, "/api/v1/cycles/:cycle/nodes/:code/assessment/hand-off", unitPerm(authz.ObjAssessment, authz.ActWrite), a.withdrawHandOff},
		{http.MethodPost, "/api/v1/cycles/:cycle/nodes/:code/assessment/copy", unitPerm(authz.ObjAssessment, authz.ActWrite), a.copyAssessment},
		{http.MethodPost, "/api/v1/cycles/:cycle/measures/:measure/links", unitPerm(authz.ObjAssessment, authz.ActWrite), a.linkMeasure},
		{http.MethodPost, "/api/v1/cycles/:cycle/consolidate", perm(authz.ObjCycle, authz.ActManage), a.consolidateCycle},
		{http.MethodPost, "/api/v1/cycles/:cycle/adopt", perm(authz.ObjCycle, authz.ActManage), a.adoptCycle},
		{http.MethodPost, "/api/v1/cycles/:cycle/publish", perm(authz.ObjCycle, authz.ActManage), a.publishCycle},
		{http.MethodGet, "/api/v1/cycles/:cycle/snapshot", perm(authz.ObjAssessment, authz.ActRead), a.getSnapshot},
		{http.MethodPost, "/api/v1/cycles/:cycle/roll-forward", perm(authz.ObjCycle, authz.ActManage), a.rollForward},
		{http.MethodPost, "/api/v1/cycles/:cycle/revision", perm(authz.ObjCycle, authz.ActManage), a.reviseCycle},
		{http.MethodGet, "/api/v1/cycles/:cycle/roll-forward/reviews", perm(authz.ObjCycle, authz.ActManage), a.listRollForwardReviews},
		{http.MethodPost, "/api/v1/cycles/:cycle/roll-forward/reviews", perm(authz.ObjCycle, authz.ActManage), a.decideRollForwardReviews},
		{http.MethodPut, "/api/v1/cycles/:cycle/granularity", perm(authz.ObjCycle, authz.ActManage), a.setGranularity},
		{http.MethodGet, "/api/v1/cycles/:cycle/oiv-notes", perm(authz.ObjOIVNote, authz.ActRead), a.listOIVNotes},
		{http.MethodPost, "/api/v1/cycles/:cycle/oiv-notes", perm(authz.ObjOIVNote, authz.ActWrite), a.addOIVNote},
		{http.MethodGet, "/api/v1/cycles/:cycle/exports/:file", perm(authz.ObjAssessment, authz.ActRead), a.exportRegister},
		// Importing an existing register (internal/registerimport): an RPCT operation on the cycle's drafts.
		{http.MethodPost, "/api/v1/cycles/:cycle/register-imports", perm(authz.ObjCycle, authz.ActManage), a.importRegister},
		{http.MethodGet, "/api/v1/cycles/:cycle/register-imports/registro-modello.xlsx", perm(authz.ObjCycle, authz.ActManage), a.importTemplate},
		{http.MethodGet, "/api/v1/register-import-mapping", perm(authz.ObjCycle, authz.ActManage), a.getImportMapping},
		{http.MethodPut, "/api/v1/register-import-mapping", perm(authz.ObjCycle, authz.ActManage), a.putImportMapping},
		{http.MethodGet, "/api/v1/cycles/:cycle/comparison", perm(authz.ObjAssessment, authz.ActRead), a.compareCycles},
		{http.MethodGet, "/api/v1/cycles/:cycle/dashboard", perm(authz.ObjAssessment, authz.ActRead), a.getDashboard},
		{http.MethodGet, "/api/v1/cycles/:cycle/monitoring/plan", perm(authz.ObjMeasure, authz.ActRead), a.getMonitoringPlan},
		{http.MethodPut, "/api/v1/cycles/:cycle/monitoring/plan", perm(authz.ObjCycle, authz.ActManage), a.setMonitoringPlan},
		{http.MethodPost, "/api/v1/cycles/:cycle/monitoring/rounds", perm(authz.ObjCycle, authz.ActManage), a.openRound},
		{http.MethodGet, "/api/v1/cycles/:cycle/monitoring/rounds", perm(authz.ObjMeasure, authz.ActRead), a.listRounds},
		{http.MethodGet, "/api/v1/cycles/:cycle/monitoring/rounds/:date", perm(authz.ObjMeasure, authz.ActRead), a.getRound},
		{http.MethodPut, "/api/v1/cycles/:cycle/monitoring/rounds/:date/measures/:measure", unitPerm(authz.ObjMeasure, authz.ActWrite), a.selfAssess},
		{http.MethodPut, "/api/v1/cycles/:cycle/monitoring/rounds/:date/measures/:measure/check", perm(authz.ObjAssessment, authz.ActReview), a.checkMeasure},
		{http.MethodPost, "/api/v1/cycles/:cycle/monitoring/rounds/:date/sample", perm(authz.ObjCycle, authz.ActManage), a.drawSample},
		{http.MethodGet, "/api/v1/cycles/:cycle/monitoring/rounds/:date/report.xlsx", perm(authz.ObjMeasure, authz.ActRead), a.monitoringReport},
		{http.MethodGet, "/api/v1/cycles/:cycle/monitoring/rounds/:date/report.pdf", perm(authz.ObjMeasure, authz.ActRead), a.monitoringReport},
		{http.MethodPost, "/api/v1/cycles/:cycle/monitoring/rounds/:date/close", perm(authz.ObjCycle, authz.ActManage), a.closeRound},
		{http.MethodPost, "/api/v1/cycles/:cycle/monitoring/rounds/:date/measures/:measure/evidence", unitPerm(authz.ObjMeasure, authz.ActWrite), a.uploadEvidence},
		{http.MethodGet, "/api/v1/evidence/:id", perm(authz.ObjMeasure, authz.ActRead), a.downloadEvidence},
		{http.MethodDelete, "/api/v1/evidence/:id", unitPerm(authz.ObjMeasure, authz.ActWrite), a.deleteEvidence},
		{http.MethodGet, "/api/v1/cycles/:cycle/monitoring/suggestions", perm(authz.ObjAssessment, authz.ActRead), a.monitoringSuggestions},
		{http.MethodGet, "/api/v1/cycles/:cycle/monitoring/measures/:measure", perm(authz.ObjMeasure, authz.ActRead), a.getMeasureMonitoring},
		{http.MethodGet, "/api/v1/cycles/:cycle/register", perm(authz.ObjAssessment, authz.ActRead), a.listRegister},
		{http.MethodGet, "/api/v1/cycles/:cycle/heatmap", perm(authz.ObjAssessment, authz.ActRead), a.getHeatmap},

		// Sottosezione 2.3 beside the register: register readers read, the RPCT writes.
		{http.MethodGet, "/api/v1/cycles/:cycle/sottosezione/context", perm(authz.ObjAssessment, authz.ActRead), a.getPart(domain.PartContext)},
		{http.MethodPut, "/api/v1/cycles/:cycle/sottosezione/context", perm(authz.ObjCycle, authz.ActManage), a.putPart(domain.PartContext)},
		{http.MethodGet, "/api/v1/cycles/:cycle/sottosezione/objectives", perm(authz.ObjAssessment, authz.ActRead), a.getPart(domain.PartObjectives)},
		{http.MethodPut, "/api/v1/cycles/:cycle/sottosezione/objectives", perm(authz.ObjCycle, authz.ActManage), a.putPart(domain.PartObjectives)},
		{http.MethodGet, "/api/v1/cycles/:cycle/sottosezione/consultation", perm(authz.ObjAssessment, authz.ActRead), a.getPart(domain.PartConsultation)},
		{http.MethodPut, "/api/v1/cycles/:cycle/sottosezione/consultation", perm(authz.ObjCycle, authz.ActManage), a.putPart(domain.PartConsultation)},
		{http.MethodGet, "/api/v1/cycles/:cycle/sottosezione/riesame", perm(authz.ObjAssessment, authz.ActRead), a.getPart(domain.PartRiesame)},
		{http.MethodPut, "/api/v1/cycles/:cycle/sottosezione/riesame", perm(authz.ObjCycle, authz.ActManage), a.putPart(domain.PartRiesame)},
		{http.MethodGet, "/api/v1/cycles/:cycle/sottosezione/self-check", perm(authz.ObjAssessment, authz.ActRead), a.getPart(domain.PartSelfCheck)},
		{http.MethodPut, "/api/v1/cycles/:cycle/sottosezione/self-check", perm(authz.ObjCycle, authz.ActManage), a.putPart(domain.PartSelfCheck)},
		{http.MethodGet, "/api/v1/cycles/:cycle/nodes/:code/description", perm(authz.ObjAssessment, authz.ActRead), a.getDescription},
		{http.MethodPut, "/api/v1/cycles/:cycle/nodes/:code/description", perm(authz.ObjCycle, authz.ActManage), a.putDescription},
		// The whole sottosezione as one document for the Giunta (ODT, DOCX, PDF) and the data for ANAC's platform.
		{http.MethodGet, "/api/v1/cycles/:cycle/sottosezione/exports/:file", perm(authz.ObjAssessment, authz.ActRead), a.exportSottosezione},
		{http.MethodGet, "/api/v1/sottosezione/settings", perm(authz.ObjCycle, authz.ActRead), a.getSottosezioneSettings},
		{http.MethodPut, "/api/v1/sottosezione/settings", perm(authz.ObjCycle, authz.ActManage), a.putSottosezioneSettings},

		// The ente-wide programme of general measures and the transparency section: readers of measures
		// read (OIV included), the RPCT plans; the responsible office self-assesses its general measure;
		// the RPCT or the OIV records the state of publication (the service checks which).
		{http.MethodGet, "/api/v1/cycles/:cycle/general-measures", perm(authz.ObjMeasure, authz.ActRead), a.listProgramme},
		{http.MethodPost, "/api/v1/cycles/:cycle/general-measures", perm(authz.ObjCycle, authz.ActManage), a.createProgrammeMeasure},
		{http.MethodPost, "/api/v1/cycles/:cycle/general-measures/link-by-code", perm(authz.ObjCycle, authz.ActManage), a.linkProgrammeByCode},
		{http.MethodPut, "/api/v1/cycles/:cycle/general-measures/:id", perm(authz.ObjCycle, authz.ActManage), a.updateProgrammeMeasure},
		{http.MethodDelete, "/api/v1/cycles/:cycle/general-measures/:id", perm(authz.ObjCycle, authz.ActManage), a.deleteProgrammeMeasure},
		{http.MethodGet, "/api/v1/cycles/:cycle/monitoring/rounds/:date/general-measures", perm(authz.ObjMeasure, authz.ActRead), a.getProgrammeRound},
		{http.MethodPut, "/api/v1/cycles/:cycle/monitoring/rounds/:date/general-measures/:id", unitPerm(authz.ObjMeasure, authz.ActWrite), a.selfAssessProgramme},
		{http.MethodPut, "/api/v1/cycles/:cycle/monitoring/rounds/:date/general-measures/:id/check", perm(authz.ObjAssessment, authz.ActReview), a.checkProgramme},
		{http.MethodGet, "/api/v1/cycles/:cycle/transparency/obligations", perm(authz.ObjMeasure, authz.ActRead), a.listObligations},
		{http.MethodPost, "/api/v1/cycles/:cycle/transparency/obligations", perm(authz.ObjCycle, authz.ActManage), a.createObligation},
		{http.MethodPost, "/api/v1/cycles/:cycle/transparency/obligations/seed", perm(authz.ObjCycle, authz.ActManage), a.seedObligations},
		{http.MethodPut, "/api/v1/cycles/:cycle/transparency/obligations/:id", perm(authz.ObjCycle, authz.ActManage), a.updateObligation},
		{http.MethodDelete, "/api/v1/cycles/:cycle/transparency/obligations/:id", perm(authz.ObjCycle, authz.ActManage), a.deleteObligation},
		{http.MethodGet, "/api/v1/cycles/:cycle/monitoring/rounds/:date/publication", perm(authz.ObjMeasure, authz.ActRead), a.getPublicationRound},
		{http.MethodPut, "/api/v1/cycles/:cycle/monitoring/rounds/:date/publication/:id", perm(authz.ObjMeasure, authz.ActRead), a.recordPublication},
		{http.MethodGet, "/api/v1/cycles/:cycle/monitoring/rounds/:date/oiv-grid.xlsx", perm(authz.ObjMeasure, authz.ActRead), a.oivGrid},
		{http.MethodGet, "/api/v1/transparency/civic-access", perm(authz.ObjMeasure, authz.ActRead), a.listCivicAccess},
		{http.MethodPut, "/api/v1/transparency/civic-access", perm(authz.ObjCycle, authz.ActManage), a.saveCivicAccess},

		{http.MethodGet, "/api/v1/audit", perm(authz.ObjAudit, authz.ActRead), a.listAudit},
		{http.MethodGet, "/api/v1/audit/verify", perm(authz.ObjAudit, authz.ActRead), a.verifyAudit},
		{http.MethodGet, "/api/v1/audit/export", perm(authz.ObjAudit, authz.ActRead), a.exportAudit},
		{http.MethodGet, "/api/v1/audit/checkpoints/latest", perm(authz.ObjAudit, authz.ActRead), a.latestAuditCheckpoint},
		{http.MethodGet, "/api/v1/audit/public-key", perm(authz.ObjAudit, authz.ActRead), a.auditPublicKey},

		{http.MethodGet, "/api/v1/users", perm(authz.ObjUser, authz.ActRead), a.listUsers},
		{http.MethodPost, "/api/v1/users", perm(authz.ObjUser, authz.ActManage), a.createUser},
		{http.MethodGet, "/api/v1/users/:id", perm(authz.ObjUser, authz.ActRead), a.getUser},
		{http.MethodPatch, "/api/v1/users/:id", perm(authz.ObjUser, authz.ActManage), a.updateUser},
		{http.MethodPost, "/api/v1/users/:id/grants", perm(authz.ObjUser, authz.ActManage), a.addGrant},
		{http.MethodDelete, "/api/v1/users/:id/grants/:grant", perm(authz.ObjUser, authz.ActManage), a.revokeGrant},
		{http.MethodPost, "/api/v1/users/:id/disable", perm(authz.ObjUser, authz.ActManage), a.disableUser},
		{http.MethodPost, "/api/v1/users/:id/enable", perm(authz.ObjUser, authz.ActManage), a.enableUser},
		{http.MethodPost, "/api/v1/users/:id/password", perm(authz.ObjUser, authz.ActManage), a.resetPassword},
		{http.MethodGet, "/api/v1/users/:id/sessions", perm(authz.ObjUser, authz.ActManage), a.userSessions},
		{http.MethodDelete, "/api/v1/users/:id/sessions", perm(authz.ObjUser, authz.ActManage), a.endUserSessions},
		{http.MethodGet, "/api/v1/privileged-requests", perm(authz.ObjPrivilegedRequest, authz.ActRead), a.listPrivilegedRequests},
		{http.MethodPost, "/api/v1/privileged-requests", perm(authz.ObjPrivilegedRequest, authz.ActWrite), a.createPrivilegedRequest},
		{http.MethodPost, "/api/v1/privileged-requests/:id/confirm", perm(authz.ObjPrivilegedRequest, authz.ActReview), a.confirmPrivilegedRequest},
		{http.MethodPost, "/api/v1/privileged-requests/:id/reject", perm(authz.ObjPrivilegedRequest, authz.ActReview), a.rejectPrivilegedRequest},
		{http.MethodGet, "/api/v1/notifications/outbox", perm(authz.ObjOutbox, authz.ActRead), a.listOutbox},
		{http.MethodPost, "/api/v1/notifications/outbox/:id/resend", perm(authz.ObjOutbox, authz.ActManage), a.resendMail},
	}
}

// NewRouter builds the gin engine with the middleware chain and the route table. A route without a
// permission cannot be registered: access is denied unless the table says otherwise.
func NewRouter(d Deps) *gin.Engine {
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	a := &api{Deps: d}
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	if err := r.SetTrustedProxies(d.TrustedProxies); err != nil {
		panic(fmt.Sprintf("httpapi: trusted proxies: %v", err))
	}
	r.HandleMethodNotAllowed = true
	r.RedirectTrailingSlash = false
	// The metrics see every answer, those refused by the later middleware (a malformed URL) included.
	chain := []gin.HandlerFunc{requestID(), accessLog(d.Log)}
	if d.Metrics != nil {
		chain = append(chain, d.Metrics.Middleware())
	}
	// compress wraps recovery, so a panic's problem answer goes through the gzip stream it may have started.
	r.Use(append(chain, compress(), recovery(d.Log), securityHeaders(d.HSTS), checkURLInput())...)
	// /metrics stays outside the route table on purpose. The table is the API: every row is a JSON operation
	// documented in openapi.json (TestOpenAPIIsAProduct, the contract test) and checked per role by the
	// permission matrix, with a Permission the middleware enforces through sessions and casbin. /metrics is
	// none of that: a Prometheus text page for a scraper that has no user, no ente and no session, guarded by
	// its own bearer token (metrics.Handler, constant-time) and answering 404 when that token is not set.
	// Declaring it in the table would need a permission that the middleware skips and a non-JSON operation in
	// the users' API document; TestEveryRouteIsRegisteredWithItsPermission names it as the one exception.
	r.GET("/metrics", a.metricsEndpoint())
	for _, rt := range a.Routes() {
		var chain []gin.HandlerFunc
		switch rt.Permission {
		case Permission{}:
			panic(fmt.Sprintf("httpapi: route %s %s declares no permission", rt.Method, rt.Path))
		case PermPublic:
		case PermAuthenticated:
			chain = append(chain, a.authenticate)
		default:
			chain = append(chain, a.authenticate, a.require(rt.Permission))
		}
		if d.Replica != nil {
			chain = append(chain, a.replicaRouting(rt))
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
