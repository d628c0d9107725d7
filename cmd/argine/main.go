// Command argine is the single binary of Argine: server, migrations, imports and exports.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/argine-pa/argine/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Run(ctx, os.Args[1:], cli.Env{Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv})
	stop()
	os.Exit(code)
}
