package main

import (
	"errors"
	"fmt"

	"attache"
	"attache/bot"
	"attache/retrieval/postgres"
)

// storeError classifies, for the bot, the faults of a shared database
// behind an answer: a connection pool that stayed busy is the bot being
// busy (the asker is told to try again in a minute), a connection lost
// during the answer (the server restarted) is a dependency unavailable for
// that question only, since the next one opens a new connection.
func storeError(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, postgres.ErrPoolBusy):
		return fmt.Errorf("%w: %w", bot.ErrBusy, err)
	case errors.Is(err, postgres.ErrConnLost):
		return fmt.Errorf("%w: %w", attache.Errorf(attache.EUNAVAILABLE, "the database connection was lost"), err)
	}
	return err
}
