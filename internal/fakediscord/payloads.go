package fakediscord

import (
	"time"

	"github.com/bwmarrin/discordgo"
)

// Opt is an option of a slash command as the interaction carries it.
type Opt struct {
	Name string
	// Value is a string, an integer, a bool or a float64; nil for a
	// sub-command or sub-command group.
	Value any
	// Type is inferred when 0: from Value (string 3, integer 4, bool 5,
	// float 10), else sub-command (1), or sub-command group (2) when its
	// options are sub-commands.
	Type    discordgo.ApplicationCommandOptionType
	Options []Opt
	Focused bool // for autocomplete; Autocomplete sets it by name
}

// SlashOpts describes an interaction for SlashCommand, Autocomplete and
// Button. Zero fields get defaults.
type SlashOpts struct {
	Command   string // the command's name
	CommandID string // default: a new id
	Options   []Opt
	ID, Token string // the interaction's; default: new ones
	AppID     string // default DefaultAppID
	// DM makes it a direct message: no guild, the invoker comes as user
	// rather than member.
	DM          bool
	GuildID     string // default DefaultGuildID
	ChannelID   string // default DefaultChannelID
	UserID      string // default DefaultUserID
	Username    string // default DefaultUsername
	Roles       []string
	Permissions string // the member's permissions, a decimal string; default "0"
	MessageID   string // Button: the message carrying the component; default: a new id
	Locale      string // default "en-US"
}

func (o SlashOpts) withDefaults() SlashOpts {
	def := func(p *string, v string) {
		if *p == "" {
			*p = v
		}
	}
	def(&o.CommandID, newID())
	def(&o.ID, newID())
	def(&o.Token, "fake-interaction-token-"+o.ID)
	def(&o.AppID, DefaultAppID)
	def(&o.GuildID, DefaultGuildID)
	def(&o.ChannelID, DefaultChannelID)
	def(&o.UserID, DefaultUserID)
	def(&o.Username, DefaultUsername)
	def(&o.Permissions, "0")
	def(&o.MessageID, newID())
	def(&o.Locale, "en-US")
	return o
}

func userObject(id, name string, bot bool) map[string]any {
	return map[string]any{
		"id":            id,
		"username":      name,
		"discriminator": "0",
		"global_name":   nil,
		"avatar":        nil,
		"bot":           bot,
	}
}

// BotUser is the bot's user object (DefaultBotUserID) as Discord sends it.
func BotUser() map[string]any { return userObject(DefaultBotUserID, BotUsername, true) }

func joinedAt() string { return time.Now().Add(-24 * time.Hour).UTC().Format(time.RFC3339) }

// interaction builds the common part of an INTERACTION_CREATE payload.
func interaction(o SlashOpts, typ int, data map[string]any) map[string]any {
	p := map[string]any{
		"id":              o.ID,
		"application_id":  o.AppID,
		"type":            typ,
		"token":           o.Token,
		"version":         1,
		"channel_id":      o.ChannelID,
		"locale":          o.Locale,
		"app_permissions": "0", // a string, as are all permissions
		"entitlements":    []any{},
		"data":            data,
	}
	user := userObject(o.UserID, o.Username, false)
	if o.DM {
		p["user"] = user
		p["context"] = 1 // BOT_DM
	} else {
		roles := o.Roles
		if roles == nil {
			roles = []string{}
		}
		p["guild_id"] = o.GuildID
		p["guild_locale"] = "en-US"
		p["context"] = 0 // GUILD
		p["member"] = map[string]any{
			"user":        user,
			"roles":       roles,
			"permissions": o.Permissions,
			"joined_at":   joinedAt(),
			"nick":        nil,
			"deaf":        false,
			"mute":        false,
			"flags":       0,
			"pending":     false,
		}
	}
	return p
}

func optionList(opts []Opt) []any {
	out := make([]any, 0, len(opts))
	for _, o := range opts {
		typ := o.Type
		if typ == 0 {
			typ = inferType(o)
		}
		m := map[string]any{"name": o.Name, "type": int(typ)}
		if o.Value != nil {
			m["value"] = o.Value
		}
		if len(o.Options) > 0 || typ == discordgo.ApplicationCommandOptionSubCommand || typ == discordgo.ApplicationCommandOptionSubCommandGroup {
			m["options"] = optionList(o.Options)
		}
		if o.Focused {
			m["focused"] = true
		}
		out = append(out, m)
	}
	return out
}

func inferType(o Opt) discordgo.ApplicationCommandOptionType {
	switch o.Value.(type) {
	case string:
		return discordgo.ApplicationCommandOptionString
	case int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
		return discordgo.ApplicationCommandOptionInteger
	case bool:
		return discordgo.ApplicationCommandOptionBoolean
	case float32, float64:
		return discordgo.ApplicationCommandOptionNumber
	}
	for _, sub := range o.Options {
		if (sub.Value == nil && sub.Type == 0) || sub.Type == discordgo.ApplicationCommandOptionSubCommand {
			return discordgo.ApplicationCommandOptionSubCommandGroup
		}
	}
	return discordgo.ApplicationCommandOptionSubCommand
}

// SlashCommand returns an INTERACTION_CREATE payload for a chat-input
// command (type 2, data.type 1), ready for Dispatch.
func SlashCommand(opts SlashOpts) map[string]any {
	o := opts.withDefaults()
	return interaction(o, 2, map[string]any{
		"id":      o.CommandID,
		"name":    o.Command,
		"type":    1,
		"options": optionList(o.Options),
	})
}

// Autocomplete returns an INTERACTION_CREATE payload for an autocomplete
// request (type 4) in which the option named focused (at any depth) is
// being typed.
func Autocomplete(opts SlashOpts, focused string) map[string]any {
	o := opts.withDefaults()
	o.Options = focus(o.Options, focused)
	return interaction(o, 4, map[string]any{
		"id":      o.CommandID,
		"name":    o.Command,
		"type":    1,
		"options": optionList(o.Options),
	})
}

func focus(opts []Opt, name string) []Opt {
	out := make([]Opt, len(opts))
	for i, o := range opts {
		if o.Name == name && o.Value != nil {
			o.Focused = true
		}
		o.Options = focus(o.Options, name)
		out[i] = o
	}
	return out
}

// Button returns an INTERACTION_CREATE payload for a click on a button
// (type 3, component_type 2) with the given custom id, on the message
// opts.MessageID of opts.ChannelID, posted by the bot.
func Button(customID string, opts SlashOpts) map[string]any {
	o := opts.withDefaults()
	p := interaction(o, 3, map[string]any{
		"custom_id":      customID,
		"component_type": 2,
	})
	p["message"] = messageObject(o.MessageID, o.ChannelID, BotUser())
	return p
}

// messageObject is an empty Message object (text, embeds and the rest to
// be filled in) by author.
func messageObject(id, channelID string, author map[string]any) map[string]any {
	return map[string]any{
		"id":               id,
		"channel_id":       channelID,
		"type":             0,
		"content":          "",
		"author":           author,
		"timestamp":        timestamp(),
		"edited_timestamp": nil,
		"tts":              false,
		"mention_everyone": false,
		"mentions":         []any{},
		"mention_roles":    []any{},
		"attachments":      []any{},
		"embeds":           []any{},
		"components":       []any{},
		"pinned":           false,
		"flags":            0,
	}
}

// MessageOpts describes a MESSAGE_CREATE event. Zero fields get defaults.
type MessageOpts struct {
	ID        string // default: a new id
	ChannelID string // default DefaultChannelID
	GuildID   string // default DefaultGuildID
	DM        bool   // a direct message: no guild, no member
	Content   string
	AuthorID  string // default DefaultUserID
	Author    string // the author's username; default DefaultUsername
	AuthorBot bool
	Roles     []string // the author's roles in the guild
	// MentionBot lists the bot user in mentions; put "<@"+DefaultBotUserID+">"
	// in Content too, as Discord would have it.
	MentionBot   bool
	Mentions     []string // ids of other users mentioned
	MentionRoles []string
	// ReplyTo makes this a reply (type 19) to that message (a payload from
	// MessageCreate, or any message object): message_reference and
	// referenced_message are set.
	ReplyTo map[string]any
	// ReplyToID makes this a reply to a message by id only: Discord sends
	// referenced_message null when it could not resolve the message.
	ReplyToID string
	WebhookID string
}

// MessageCreate returns a MESSAGE_CREATE payload, ready for Dispatch.
func MessageCreate(opts MessageOpts) map[string]any {
	o := opts
	if o.ID == "" {
		o.ID = newID()
	}
	if o.ChannelID == "" {
		o.ChannelID = DefaultChannelID
	}
	if o.GuildID == "" {
		o.GuildID = DefaultGuildID
	}
	if o.AuthorID == "" {
		o.AuthorID = DefaultUserID
	}
	if o.Author == "" {
		o.Author = DefaultUsername
	}
	mentions := []any{}
	if o.MentionBot {
		mentions = append(mentions, BotUser())
	}
	for _, id := range o.Mentions {
		mentions = append(mentions, userObject(id, "user"+id, false))
	}
	mentionRoles := o.MentionRoles
	if mentionRoles == nil {
		mentionRoles = []string{}
	}
	m := map[string]any{
		"id":               o.ID,
		"channel_id":       o.ChannelID,
		"type":             0,
		"content":          o.Content,
		"author":           userObject(o.AuthorID, o.Author, o.AuthorBot),
		"timestamp":        timestamp(),
		"edited_timestamp": nil,
		"tts":              false,
		"mention_everyone": false,
		"mentions":         mentions,
		"mention_roles":    mentionRoles,
		"attachments":      []any{},
		"embeds":           []any{},
		"components":       []any{},
		"pinned":           false,
		"flags":            0,
	}
	if o.WebhookID != "" {
		m["webhook_id"] = o.WebhookID
	}
	if !o.DM {
		roles := o.Roles
		if roles == nil {
			roles = []string{}
		}
		m["guild_id"] = o.GuildID
		m["member"] = map[string]any{
			"roles": roles, "joined_at": joinedAt(), "deaf": false, "mute": false, "flags": 0, "pending": false,
		}
	}
	ref := map[string]any{"type": 0, "channel_id": o.ChannelID}
	if !o.DM {
		ref["guild_id"] = o.GuildID
	}
	switch {
	case o.ReplyTo != nil:
		prev := withoutReferenced(o.ReplyTo)
		ref["message_id"] = prev["id"]
		if ch, _ := prev["channel_id"].(string); ch != "" {
			ref["channel_id"] = ch
		}
		m["type"] = 19
		m["message_reference"] = ref
		m["referenced_message"] = prev
	case o.ReplyToID != "":
		ref["message_id"] = o.ReplyToID
		m["type"] = 19
		m["message_reference"] = ref
		m["referenced_message"] = nil
	}
	return m
}
