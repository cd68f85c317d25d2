package bot

import (
	"sync/atomic"

	"github.com/bwmarrin/discordgo"
)

// watchGateway keeps track of one shard's connection to the Discord
// gateway, for Ready, reconnects it when it drops (see keepConnected), and
// counts its connections after the first: discordgo sends a Connect event
// each time it is connected again, the session resumed when it can be.
func (b *Bot) watchGateway(sh *shard) {
	var connected atomic.Bool
	attrs := func() []any {
		if b.shardCount > 1 {
			return []any{"shard", sh.id}
		}
		return nil
	}
	sh.session.AddHandler(func(_ *discordgo.Session, _ *discordgo.Connect) {
		sh.connected.Store(true)
		if connected.Swap(true) {
			b.metrics.GatewayReconnect()
			b.log.Info("reconnected to the Discord gateway", attrs()...)
		}
	})
	sh.session.AddHandler(func(_ *discordgo.Session, _ *discordgo.Disconnect) {
		sh.connected.Store(false)
		if !b.closing.Load() {
			b.log.Warn("disconnected from the Discord gateway; reconnecting", attrs()...)
			b.keepConnected(sh)
		}
	})
	sh.session.AddHandler(func(_ *discordgo.Session, _ *discordgo.Resumed) {
		b.log.Info("Discord gateway session resumed", attrs()...)
	})
}
