package main

import (
	"context"

	"attache"
	"attache/config"
	"attache/state"
)

func openPostgresState(context.Context, *config.Config, *app) (state.Store, error) {
	return nil, attache.Errorf(attache.EINVALID, "index.driver: postgres is not available in this build")
}
