package fakediscord

import (
	"encoding/json"
	"testing"

	"github.com/bwmarrin/discordgo"
)

// A message command payload decodes, with discordgo, into a message
// context-menu interaction that resolves its target.
func TestMessageCommandPayload(t *testing.T) {
	tests := []struct {
		name   string
		opts   SlashOpts
		locale discordgo.Locale
	}{
		{"guild, default locale", SlashOpts{}, discordgo.EnglishUS},
		{"DM, Spanish", SlashOpts{DM: true, Locale: "es-419"}, discordgo.SpanishLATAM},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			target := MessageCreate(MessageOpts{ID: "501", AuthorID: "77", Content: "Did Cuba and the US meet?"})
			raw, err := json.Marshal(MessageCommand("Find sources for this", target, tt.opts))
			if err != nil {
				t.Fatal(err)
			}
			var ic discordgo.InteractionCreate
			if err := json.Unmarshal(raw, &ic); err != nil {
				t.Fatal(err)
			}
			data := ic.ApplicationCommandData()
			if ic.Type != discordgo.InteractionApplicationCommand || data.CommandType != discordgo.MessageApplicationCommand {
				t.Fatalf("type %v, command type %v", ic.Type, data.CommandType)
			}
			msg := data.Resolved.Messages[data.TargetID]
			if data.TargetID != "501" || msg == nil || msg.Content != "Did Cuba and the US meet?" || msg.Author.ID != "77" {
				t.Errorf("target %q resolved to %+v", data.TargetID, msg)
			}
			if ic.Locale != tt.locale || (ic.GuildID == "") != tt.opts.DM {
				t.Errorf("locale %q, guild %q", ic.Locale, ic.GuildID)
			}
		})
	}
}
