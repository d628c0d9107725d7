package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// metricsEndpoint serves the Prometheus metrics to the bearer of the metrics token; without metrics or a token
// the endpoint does not exist (404), so nothing about the office's activity is public by default.
func (a *api) metricsEndpoint() gin.HandlerFunc {
	if a.Metrics == nil || a.MetricsToken == "" {
		return func(c *gin.Context) {
			writeProblem(c, Problem{Status: http.StatusNotFound, Code: "not_found",
				Detail: "metrics are off: set ARGINE_METRICS_TOKEN_FILE to turn them on"})
		}
	}
	return gin.WrapH(a.Metrics.Handler(a.MetricsToken))
}
