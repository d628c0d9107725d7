package httpapi

import (
	"compress/gzip"
	"mime"
	"net/http"
	"strings"
	"sync"

	"github.com/gin-gonic/gin"

	"github.com/argine-pa/argine/internal/webui"
)

// compressMinSize is the smallest body worth compressing: below it gzip's header and the CPU cost outweigh
// the bytes saved.
const compressMinSize = 1024

// compressibleTypes are the media types gzip shrinks (JSON, CSV, text, scripts, SVG). Everything else, in
// particular the already-compressed containers (xlsx, odt, docx, pdf, zip, images), is sent as it is.
var compressibleTypes = map[string]bool{
	"application/json": true, "application/problem+json": true, "application/javascript": true,
	"text/javascript": true, "application/xml": true, "image/svg+xml": true, "application/manifest+json": true,
	"application/geo+json": true, "application/x-ndjson": true,
}

func compressible(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return false
	}
	return strings.HasPrefix(mt, "text/") || compressibleTypes[mt]
}

// gzipLevel is 4, the last of Go's fast deflate levels: a register page of 100 rows (60 KB of JSON) compresses
// to 10.4 KB in about 70 % of the CPU that the default level 6 takes for 9.3 KB (BenchmarkGzipLevels). On a
// server under the load tool, compressing the dynamic answers at level 6 was 7 % of its CPU.
const gzipLevel = 4

var gzipPool = sync.Pool{New: func() any { w, _ := gzip.NewWriterLevel(nil, gzipLevel); return w }}

// compress gzips the answer when the client accepts it, the body is at least compressMinSize bytes and its
// type is compressible. It holds back the first compressMinSize bytes to decide, then streams: a large export
// is compressed as it is written, never buffered whole. An answer that already has a Content-Encoding (the
// precompressed assets of the web interface) or answers a Range request goes out untouched.
func compress() gin.HandlerFunc {
	return func(c *gin.Context) {
		c.Writer.Header().Add("Vary", "Accept-Encoding")
		if !webui.AcceptsGzip(c.Request) || c.Request.Method == http.MethodHead || c.Request.Header.Get("Range") != "" {
			c.Next()
			return
		}
		w := &gzipWriter{ResponseWriter: c.Writer, status: http.StatusOK}
		c.Writer = w
		defer func() {
			w.finish()
			c.Writer = w.ResponseWriter
		}()
		c.Next()
	}
}

// gzipWriter decides on the first compressMinSize bytes (or at the end, or at a flush) whether to compress.
type gzipWriter struct {
	gin.ResponseWriter
	status      int
	wroteHeader bool // WriteHeader was called on the wrapper
	decided     bool
	buf         []byte
	gz          *gzip.Writer
}

func (w *gzipWriter) WriteHeader(code int) {
	if w.decided {
		w.ResponseWriter.WriteHeader(code)
		return
	}
	w.status, w.wroteHeader = code, true
}

func (w *gzipWriter) WriteHeaderNow() {
	if !w.decided {
		// gin writes the header before a body-less answer (204, 304) or when a handler wrote nothing.
		if !bodyAllowed(w.status) {
			w.decide(false)
		}
		return
	}
	w.ResponseWriter.WriteHeaderNow()
}

func bodyAllowed(status int) bool {
	return !(status >= 100 && status < 200) && status != http.StatusNoContent && status != http.StatusNotModified
}

func (w *gzipWriter) Written() bool { return w.decided && w.ResponseWriter.Written() || len(w.buf) > 0 }

func (w *gzipWriter) Status() int {
	if w.decided {
		return w.ResponseWriter.Status()
	}
	return w.status
}

func (w *gzipWriter) Write(b []byte) (int, error) {
	if !w.decided {
		w.buf = append(w.buf, b...)
		if len(w.buf) < compressMinSize {
			return len(b), nil
		}
		if err := w.decideAndFlush(true); err != nil {
			return 0, err
		}
		return len(b), nil
	}
	if w.gz != nil {
		return w.gz.Write(b)
	}
	return w.ResponseWriter.Write(b)
}

func (w *gzipWriter) WriteString(s string) (int, error) { return w.Write([]byte(s)) }

// decide sets the headers and sends them; large tells whether the body reached compressMinSize.
func (w *gzipWriter) decide(large bool) {
	w.decided = true
	h := w.ResponseWriter.Header()
	if ct := h.Get("Content-Type"); ct == "" && len(w.buf) > 0 {
		h.Set("Content-Type", http.DetectContentType(w.buf))
	}
	if large && bodyAllowed(w.status) && w.status != http.StatusPartialContent && h.Get("Content-Encoding") == "" &&
		compressible(h.Get("Content-Type")) {
		h.Del("Content-Length")
		h.Set("Content-Encoding", "gzip")
		w.gz = gzipPool.Get().(*gzip.Writer)
		w.gz.Reset(w.ResponseWriter)
	}
	w.ResponseWriter.WriteHeader(w.status)
	w.ResponseWriter.WriteHeaderNow()
}

func (w *gzipWriter) decideAndFlush(large bool) error {
	w.decide(large)
	buf := w.buf
	w.buf = nil
	if len(buf) == 0 {
		return nil
	}
	var err error
	if w.gz != nil {
		_, err = w.gz.Write(buf)
	} else {
		_, err = w.ResponseWriter.Write(buf)
	}
	return err
}

// Flush sends what was written so far (a streamed export): compressed data is flushed through gzip.
func (w *gzipWriter) Flush() {
	if !w.decided {
		_ = w.decideAndFlush(len(w.buf) >= compressMinSize)
	}
	if w.gz != nil {
		_ = w.gz.Flush()
	}
	w.ResponseWriter.Flush()
}

// finish sends a body that stayed below compressMinSize as it is, or closes the gzip stream.
func (w *gzipWriter) finish() {
	if !w.decided {
		if len(w.buf) == 0 && !w.wroteHeader {
			return // nothing written: gin writes the default header itself
		}
		_ = w.decideAndFlush(false)
	}
	if w.gz != nil {
		_ = w.gz.Close()
		w.gz.Reset(nil)
		gzipPool.Put(w.gz)
		w.gz = nil
	}
}
