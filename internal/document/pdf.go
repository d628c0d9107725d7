package document

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// MimePDF is the media type of a PDF.
const MimePDF = "application/pdf"

// ErrNoRenderer means the server has no PDF renderer (none configured, or LibreOffice chosen and not found):
// ODT and DOCX still work.
var ErrNoRenderer = errors.New("document: no PDF renderer: LibreOffice (soffice) not found")

// pdfFilter asks LibreOffice's Writer PDF export for an accessible file: tagged (structure tree, reading
// order, headings, table headers), PDF/UA, the document title shown instead of the file name, and bookmarks
// from the headings. LibreOffice 7.4 reads the JSON form of filter options; fonts are always embedded.
const pdfFilter = `pdf:writer_pdf_Export:{` +
	`"UseTaggedPDF":{"type":"boolean","value":"true"},` +
	`"PDFUACompliance":{"type":"boolean","value":"true"},` +
	`"DisplayPDFDocumentTitle":{"type":"boolean","value":"true"},` +
	`"ExportBookmarks":{"type":"boolean","value":"true"},` +
	`"UseLosslessCompression":{"type":"boolean","value":"true"}}`

// EnginePDFVar chooses the PDF engine: unset or "argine" is Argine's own writer (WritePDF), "libreoffice" the
// ODT converted by LibreOffice headless (slower by far on large registers; kept for whoever prefers Writer's
// layout).
const EnginePDFVar = "ARGINE_PDF_ENGINE"

// Renderer writes the PDFs: Argine's own writer by default, or LibreOffice headless when chosen. A nil
// Renderer, or a LibreOffice one without LibreOffice, has none.
type Renderer struct {
	builtin bool
	soffice string
	version string
	// LibreOffice uses much memory per conversion: conversions run one at a time, queued here; a request that
	// gives up while queued leaves the queue.
	slot chan struct{}
}

// BuiltinRenderer is Argine's own PDF writer: always available, nothing to install.
func BuiltinRenderer() *Renderer { return &Renderer{builtin: true} }

// DetectRenderer returns the renderer $ARGINE_PDF_ENGINE chooses: Argine's own writer unless it says
// "libreoffice", then LibreOffice as DetectLibreOffice finds it.
func DetectRenderer() *Renderer {
	if strings.EqualFold(strings.TrimSpace(os.Getenv(EnginePDFVar)), "libreoffice") {
		return DetectLibreOffice()
	}
	return BuiltinRenderer()
}

// DetectLibreOffice looks for LibreOffice: $ARGINE_SOFFICE, then soffice/libreoffice on PATH. It returns a
// renderer whose Available() is false when none is found.
func DetectLibreOffice() *Renderer {
	candidates := []string{os.Getenv("ARGINE_SOFFICE"), "soffice", "libreoffice"}
	for _, c := range candidates {
		if c == "" {
			continue
		}
		if p, err := exec.LookPath(c); err == nil {
			r := &Renderer{soffice: p, slot: make(chan struct{}, 1)}
			if out, err := exec.Command(p, "--headless", "--version").Output(); err == nil {
				r.version = strings.TrimSpace(string(out))
			}
			return r
		}
	}
	return &Renderer{}
}

// Available reports whether PDFs can be rendered.
func (r *Renderer) Available() bool { return r != nil && (r.builtin || r.soffice != "") }

// Describe is the renderer for the start-up log line.
func (r *Renderer) Describe() string {
	switch {
	case r != nil && r.builtin:
		return "integrato (Argine: PDF accessibile, Liberation Sans incorporato)"
	case !r.Available():
		return "non disponibile (LibreOffice scelto con " + EnginePDFVar + " ma non installato): PDF disattivati, ODT e DOCX disponibili"
	case r.version != "":
		return r.version + " (" + r.soffice + ")"
	}
	return r.soffice
}

// WritePDF writes the document as an accessible PDF with the renderer's engine.
func (r *Renderer) WritePDF(ctx context.Context, w io.Writer, d *Document) error {
	if !r.Available() {
		return ErrNoRenderer
	}
	if r.builtin {
		if err := ctx.Err(); err != nil {
			return err
		}
		return WritePDF(w, d)
	}
	dir, err := os.MkdirTemp("", "argine-pdf-")
	if err != nil {
		return err
	}
	// The folder holds only this conversion's copy and profile; failing to remove it leaves litter in the
	// temporary directory, not a wrong document, so the error is not the caller's.
	defer func() { _ = os.RemoveAll(dir) }()
	src := filepath.Join(dir, "documento.odt")
	f, err := os.Create(src)
	if err != nil {
		return err
	}
	if err := WriteODT(f, d); err != nil {
		_ = f.Close() // the write's error is the one to report
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	select {
	case r.slot <- struct{}{}:
		defer func() { <-r.slot }()
	case <-ctx.Done():
		return ctx.Err()
	}
	// A private profile per conversion: LibreOffice refuses to start on a profile another instance holds, and
	// nothing of the server's user (HOME may be read-only) is touched.
	cmd := exec.CommandContext(ctx, r.soffice, "-env:UserInstallation=file://"+filepath.ToSlash(filepath.Join(dir, "profilo")),
		"--headless", "--norestore", "--nolockcheck", "--convert-to", pdfFilter, "--outdir", dir, src)
	cmd.Env = append(os.Environ(), "HOME="+dir)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("document: LibreOffice conversion failed: %w: %s", err, strings.TrimSpace(out.String()))
	}
	pdf, err := os.Open(filepath.Join(dir, "documento.pdf"))
	if err != nil {
		return fmt.Errorf("document: LibreOffice wrote no PDF: %s", strings.TrimSpace(out.String()))
	}
	_, err = io.Copy(w, pdf)
	if cerr := pdf.Close(); err == nil {
		err = cerr
	}
	return err
}
