package httpapi

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"os"
	"testing"
)

// BenchmarkGzipLevels compresses a register page of the demo (100 rows as the API answers them,
// testdata/register_page_demo.json) at the level the middleware uses and at the default level, reporting the
// compressed size: the choice of gzipLevel rests on this pair of figures (docs/performance.md).
func BenchmarkGzipLevels(b *testing.B) {
	page, err := os.ReadFile("testdata/register_page_demo.json")
	if err != nil {
		b.Fatal(err)
	}
	for _, level := range []int{gzipLevel, gzip.DefaultCompression} {
		b.Run(fmt.Sprintf("level=%d", level), func(b *testing.B) {
			var out bytes.Buffer
			w, _ := gzip.NewWriterLevel(&out, level)
			b.SetBytes(int64(len(page)))
			for b.Loop() {
				out.Reset()
				w.Reset(&out)
				if _, err := w.Write(page); err != nil {
					b.Fatal(err)
				}
				if err := w.Close(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(out.Len()), "gzip-bytes")
		})
	}
}
