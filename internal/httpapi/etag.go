package httpapi

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
)

// jsonWithETag answers v as JSON with a strong ETag, the hash of the bytes sent, and answers 304 with no body
// when the client's If-None-Match already names it: the tree and the catalogues change rarely and are read on
// every screen, so a client revalidates them for the price of a hash instead of the whole body. The answer is
// read with the caller's permissions, so it may be cached only privately and must be revalidated each time.
func jsonWithETag(c *gin.Context, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		_ = c.Error(err)
		c.AbortWithStatus(http.StatusInternalServerError)
		return
	}
	sum := sha256.Sum256(body)
	if notModified(c, `"`+hex.EncodeToString(sum[:16])+`"`) {
		return
	}
	c.Data(http.StatusOK, "application/json; charset=utf-8", body)
}

// notModified sets the ETag and the caching headers and, when If-None-Match names etag (or is *), answers 304.
func notModified(c *gin.Context, etag string) bool {
	c.Header("ETag", etag)
	c.Header("Cache-Control", "private, no-cache")
	if matchesETag(c.GetHeader("If-None-Match"), etag) {
		c.Status(http.StatusNotModified)
		return true
	}
	return false
}

// matchesETag compares If-None-Match with etag as RFC 9110 asks for a GET: weakly (W/ ignored), any of a list.
func matchesETag(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" || t == etag {
			return true
		}
	}
	return false
}
