package cli

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/argine-pa/argine/internal/config"
	"github.com/argine-pa/argine/internal/notify"
	"github.com/argine-pa/argine/internal/service"
	"github.com/argine-pa/argine/internal/store"
)

// Notification loops of the server: the outbox sender and the calendar's scheduler.
const (
	senderInterval    = 30 * time.Second
	schedulerInterval = 5 * time.Minute
)

// mailer builds the outbox sender from ARGINE_SMTP_URL; without it the sender is nil and notifications stay in
// the app. description is the server without its password, "" when off.
func mailer(cfg config.Config, st *store.Store, log *slog.Logger) (sender *notify.Sender, description string, err error) {
	raw, err := cfg.SMTP()
	if err != nil || raw == "" {
		return nil, "", err
	}
	smtp, err := notify.ParseSMTPURL(raw)
	if err != nil {
		return nil, "", err
	}
	return &notify.Sender{Store: st, Mailer: notify.NewSMTPMailer(smtp), PublicURL: cfg.PublicURL, Log: log}, smtp.Redacted(), nil
}

// startNotifications runs the sender and the scheduler for serve; it returns the SMTP description for the
// admin page.
func startNotifications(ctx context.Context, cfg config.Config, log *slog.Logger, st *store.Store) (string, error) {
	sender, desc, err := mailer(cfg, st, log)
	if err != nil {
		return "", err
	}
	if sender == nil {
		log.Warn("no SMTP server (ARGINE_SMTP_URL): notifications stay in the app, nobody gets e-mails")
	} else {
		if cfg.PublicURL == "" {
			log.Warn("ARGINE_PUBLIC_URL is not set: notification e-mails carry paths, not links")
		}
		log.Info("notification e-mails on", "smtp", desc)
		go sender.Run(ctx, senderInterval)
	}
	go service.NewScheduler(st, log).Run(ctx, schedulerInterval)
	return desc, nil
}

func runNotify(ctx context.Context, env Env, args []string) error {
	cfg, err := loadConfig(env)
	if err != nil {
		return err
	}
	fs := newFlagSet(env, "notify", "notify run [flags]",
		"run: do once what the notification loops of `argine serve` do all the time: the calendar's campaign\n"+
			"  openings, reminders, overdue digests and personal digests (only when no other instance holds the\n"+
			"  scheduler's lease), then send the queued e-mails through ARGINE_SMTP_URL. For installations that\n"+
			"  prefer cron to the server's own loops; running it while servers run is safe.")
	cfg.DatabaseFlags(fs)
	if err := parse(fs, env, args); err != nil {
		return err
	}
	if fs.NArg() != 1 || fs.Arg(0) != "run" {
		return usageError(fs, env, "notify needs one action: run")
	}
	log, err := cfg.Logger(env.Stderr)
	if err != nil {
		return err
	}
	a, err := openApp(ctx, env, cfg, log, true)
	if err != nil {
		return err
	}
	defer a.close()
	rep, err := service.NewScheduler(a.store, log).RunOnce(ctx)
	if err != nil {
		return err
	}
	if !rep.Leader {
		fmt.Fprintln(env.Stdout, "scheduler: another instance holds the lease; nothing scheduled")
	} else {
		fmt.Fprintf(env.Stdout, "scheduler: %d campaign openings, %d reminders, %d overdue digests, %d personal digests\n",
			rep.Openings, rep.Reminders, rep.Overdue, rep.Digests)
	}
	sender, _, err := mailer(cfg, a.store, log)
	if err != nil {
		return err
	}
	if sender == nil {
		fmt.Fprintln(env.Stdout, "e-mail: no SMTP server configured (ARGINE_SMTP_URL); notifications stay in the app")
		return nil
	}
	res, err := sender.Drain(ctx)
	fmt.Fprintf(env.Stdout, "e-mail: %d sent, %d to retry, %d failed\n", res.Sent, res.Retrying, res.Failed)
	return err
}
