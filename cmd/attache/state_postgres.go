package main

import (
	"context"

	"attache/config"
	"attache/state"
	statepostgres "attache/state/postgres"
)

// openPostgresState opens the state tables in the index's PostgreSQL
// database, shared by every process of the bot.
func openPostgresState(ctx context.Context, cfg *config.Config, a *app) (state.Store, error) {
	return statepostgres.Open(ctx, cfg.Index.DSN, a.log)
}
