package notify

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"html/template"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// SMTPConfig is where and how e-mails leave, parsed from ARGINE_SMTP_URL:
//
//	smtp://[user[:password]@]host[:port]?from=argine@ente.example[&tls=starttls|opportunistic|none]
//	smtps://[user[:password]@]host[:port]?from=...   (TLS from the first byte, port 465 by default)
//
// smtp:// requires STARTTLS unless tls= says otherwise; credentials, when present, are sent only over TLS
// (tls=none with credentials is refused). Keep the URL, which holds the password, in ARGINE_SMTP_URL_FILE.
type SMTPConfig struct {
	Host     string
	Port     int
	Implicit bool   // smtps://
	TLS      string // starttls, opportunistic or none (smtp:// only)
	Username string
	Password string
	From     string
	Timeout  time.Duration
	// TLS overrides the TLS settings (e.g. a private CA); nil: the system's roots and the host name.
	TLSConfig *tls.Config
}

// ParseSMTPURL reads an ARGINE_SMTP_URL value.
func ParseSMTPURL(raw string) (SMTPConfig, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return SMTPConfig{}, errors.New("notify: ARGINE_SMTP_URL is not a URL")
	}
	c := SMTPConfig{Host: u.Hostname(), Timeout: 30 * time.Second, TLS: "starttls"}
	switch u.Scheme {
	case "smtp":
		c.Port = 587
	case "smtps":
		c.Port, c.Implicit, c.TLS = 465, true, "implicit"
	default:
		return SMTPConfig{}, fmt.Errorf("notify: ARGINE_SMTP_URL must start with smtp:// or smtps://, got %q", u.Scheme)
	}
	if c.Host == "" {
		return SMTPConfig{}, errors.New("notify: ARGINE_SMTP_URL names no host")
	}
	if p := u.Port(); p != "" {
		if c.Port, err = strconv.Atoi(p); err != nil || c.Port < 1 || c.Port > 65535 {
			return SMTPConfig{}, fmt.Errorf("notify: ARGINE_SMTP_URL port %q is not valid", p)
		}
	}
	if u.User != nil {
		c.Username = u.User.Username()
		c.Password, _ = u.User.Password()
	}
	q := u.Query()
	if t := q.Get("tls"); t != "" {
		if c.Implicit {
			return SMTPConfig{}, errors.New("notify: ARGINE_SMTP_URL: smtps:// is always TLS; tls= applies to smtp:// only")
		}
		switch t {
		case "starttls", "opportunistic", "none":
			c.TLS = t
		default:
			return SMTPConfig{}, fmt.Errorf("notify: ARGINE_SMTP_URL tls must be starttls, opportunistic or none, got %q", t)
		}
	}
	if c.TLS == "none" && c.Username != "" {
		return SMTPConfig{}, errors.New("notify: ARGINE_SMTP_URL: refusing to send credentials without TLS (tls=none)")
	}
	from, err := mail.ParseAddress(q.Get("from"))
	if err != nil {
		return SMTPConfig{}, errors.New("notify: ARGINE_SMTP_URL needs from=ADDRESS, the sender of Argine's e-mails")
	}
	c.From = from.String()
	return c, nil
}

// Redacted describes the configuration without its password, for logs and the admin page.
func (c SMTPConfig) Redacted() string {
	scheme := "smtp"
	if c.Implicit {
		scheme = "smtps"
	}
	user := ""
	if c.Username != "" {
		user = c.Username + "@"
	}
	return fmt.Sprintf("%s://%s%s:%d (TLS: %s, mittente %s)", scheme, user, c.Host, c.Port, c.TLS, c.From)
}

// Outgoing is one e-mail ready to go.
type Outgoing struct {
	MessageID string
	To        string
	Subject   string
	Text      string
	HTML      string
	Date      time.Time
}

// Mailer delivers e-mails; it returns one error per message (nil: the server accepted it). A *PermanentError
// means retrying is useless.
type Mailer interface {
	Send(ctx context.Context, msgs []Outgoing) []error
}

// PermanentError is a refusal that will not change by retrying (a 5xx reply, an invalid address).
type PermanentError struct{ Err error }

func (e *PermanentError) Error() string { return e.Err.Error() }
func (e *PermanentError) Unwrap() error { return e.Err }

// SMTPMailer sends through an SMTP server with go-mail, one connection per batch.
type SMTPMailer struct{ cfg SMTPConfig }

// NewSMTPMailer builds the mailer.
func NewSMTPMailer(cfg SMTPConfig) *SMTPMailer { return &SMTPMailer{cfg: cfg} }

func (s *SMTPMailer) client() (*gomail.Client, error) {
	opts := []gomail.Option{gomail.WithPort(s.cfg.Port), gomail.WithTimeout(s.cfg.Timeout), gomail.WithHELO(helo())}
	switch {
	case s.cfg.Implicit:
		opts = append(opts, gomail.WithSSL())
	case s.cfg.TLS == "none":
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	case s.cfg.TLS == "opportunistic":
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	}
	if s.cfg.TLSConfig != nil {
		opts = append(opts, gomail.WithTLSConfig(s.cfg.TLSConfig))
	}
	if s.cfg.Username != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(s.cfg.Username), gomail.WithPassword(s.cfg.Password))
	}
	return gomail.NewClient(s.cfg.Host, opts...)
}

func helo() string {
	return "argine.localhost"
}

// Send delivers the batch over one connection; a connection that cannot be opened fails every message
// (temporarily: the server may be down).
func (s *SMTPMailer) Send(ctx context.Context, msgs []Outgoing) []error {
	errs := make([]error, len(msgs))
	fill := func(err error) []error {
		for i := range errs {
			if errs[i] == nil {
				errs[i] = err
			}
		}
		return errs
	}
	c, err := s.client()
	if err != nil {
		return fill(&PermanentError{err})
	}
	if err := c.DialWithContext(ctx); err != nil {
		return fill(fmt.Errorf("SMTP server unreachable: %w", err))
	}
	defer func() { _ = c.Close() }()
	for i, o := range msgs {
		if err := ctx.Err(); err != nil { // out of time (the claim's lease) or shutting down: the rest waits
			return fill(fmt.Errorf("not sent: %w", err))
		}
		m := gomail.NewMsg()
		if err := m.From(s.cfg.From); err != nil {
			errs[i] = &PermanentError{err}
			continue
		}
		if err := m.To(o.To); err != nil {
			errs[i] = &PermanentError{fmt.Errorf("invalid recipient address: %w", err)}
			continue
		}
		m.Subject(o.Subject)
		m.SetMessageIDWithValue(o.MessageID)
		m.SetDateWithValue(o.Date)
		m.SetGenHeader(gomail.HeaderContentLang, "it")
		m.SetGenHeader("Auto-Submitted", "auto-generated")
		m.SetBodyString(gomail.TypeTextPlain, o.Text)
		m.AddAlternativeString(gomail.TypeTextHTML, o.HTML)
		if err := c.Send(m); err != nil {
			var se *gomail.SendError
			if errors.As(err, &se) && !se.IsTemp() && se.ErrorCode() >= 500 {
				errs[i] = &PermanentError{err}
			} else {
				errs[i] = err
			}
			if ctx.Err() != nil {
				return fill(ctx.Err())
			}
			// A broken connection fails the rest of the batch; they are retried later.
			if !connAlive(c) {
				return fill(fmt.Errorf("SMTP connection lost: %w", err))
			}
		}
	}
	return errs
}

func connAlive(c *gomail.Client) bool {
	return c.Reset() == nil
}

// Render builds the e-mail's plain text and HTML from the stored body and link; publicURL is
// ARGINE_PUBLIC_URL (empty: the link is shown as a path).
func Render(m Outgoing, body, link, publicURL string) Outgoing {
	full := strings.TrimRight(publicURL, "/") + link
	var text strings.Builder
	text.WriteString(body)
	text.WriteString("\n\n")
	if link != "" {
		if publicURL != "" {
			text.WriteString("Apri in Argine: " + full + "\n\n")
		} else {
			text.WriteString("In Argine, alla pagina: " + link + "\n\n")
		}
	}
	text.WriteString(footer)
	m.Text = text.String()
	var h bytes.Buffer
	_ = htmlTmpl.Execute(&h, map[string]any{"Subject": m.Subject, "Paras": strings.Split(body, "\n\n"),
		"Link": full, "HasLink": link != "" && publicURL != "", "Path": link, "Footer": footer})
	m.HTML = h.String()
	return m
}

const footer = "-- \nMessaggio automatico di Argine, il registro dei rischi corruttivi. Non rispondere a questo indirizzo. " +
	"Puoi scegliere quali avvisi ricevere per e-mail nelle preferenze delle notifiche."

var htmlTmpl = template.Must(template.New("mail").Parse(`<!DOCTYPE html>
<html lang="it"><head><meta charset="utf-8"><title>{{.Subject}}</title></head>
<body style="font-family: 'Titillium Web', Geneva, Tahoma, sans-serif; color: #1a1a1a; max-width: 40em">
{{range .Paras}}<p style="white-space: pre-line">{{.}}</p>
{{end}}{{if .HasLink}}<p><a href="{{.Link}}" style="color: #0066cc">Apri in Argine</a></p>
{{else if .Path}}<p>In Argine, alla pagina: {{.Path}}</p>
{{end}}<hr><p style="font-size: 0.85em; color: #555; white-space: pre-line">{{.Footer}}</p>
</body></html>
`))
