package bot

import (
	"sync/atomic"

	"github.com/bwmarrin/discordgo"
)

// watchGateway counts the connections to the Discord gateway after the
// first: discordgo reconnects by itself (resuming the session when it
// can) and sends a Connect event each time it is connected again.
func (b *Bot) watchGateway() {
	var connected atomic.Bool
	b.session.AddHandler(func(_ *discordgo.Session, _ *discordgo.Connect) {
		if connected.Swap(true) {
			b.metrics.GatewayReconnect()
			b.log.Info("reconnected to the Discord gateway")
		}
	})
	b.session.AddHandler(func(_ *discordgo.Session, _ *discordgo.Disconnect) {
		if !b.closing.Load() {
			b.log.Warn("disconnected from the Discord gateway; reconnecting")
		}
	})
	b.session.AddHandler(func(_ *discordgo.Session, _ *discordgo.Resumed) {
		b.log.Info("Discord gateway session resumed")
	})
}
