// Command vigil is Vigil's one binary: the service and every tool around it.
// Run "vigil --help" for the sub-commands.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"vigil/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
