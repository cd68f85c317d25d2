package fakediscord

import "encoding/json"

// MessageCommand returns an INTERACTION_CREATE payload for a message
// context-menu command (type 2, data.type 3) named name, used on target (a
// payload from MessageCreate, or any message object): data.target_id names
// it and data.resolved.messages carries it, as Discord sends them. The
// interaction's locale is opts.Locale.
func MessageCommand(name string, target map[string]any, opts SlashOpts) map[string]any {
	o := opts.withDefaults()
	msg := withoutReferenced(target)
	id, _ := msg["id"].(string)
	return interaction(o, 2, map[string]any{
		"id":        o.CommandID,
		"name":      name,
		"type":      3,
		"target_id": id,
		"resolved":  map[string]any{"messages": map[string]any{id: msg}},
	})
}

// RegisteredCommand is a command as the bot registered it, with the fields
// that say where and in which languages it appears.
type RegisteredCommand struct {
	ID                       string            `json:"id"`
	Type                     int               `json:"type"`
	Name                     string            `json:"name"`
	Description              string            `json:"description"`
	NameLocalizations        map[string]string `json:"name_localizations"`
	DescriptionLocalizations map[string]string `json:"description_localizations"`
	Contexts                 []int             `json:"contexts"`
	IntegrationTypes         []int             `json:"integration_types"`
	DefaultMemberPermissions *string           `json:"default_member_permissions"`
	Options                  []json.RawMessage `json:"options"`
	// Raw is the command as stored, for fields not decoded above.
	Raw json.RawMessage `json:"-"`
}

// Commands returns the commands registered for a guild ("" = global), in
// registration order, as the server echoed them.
func (s *Server) Commands(guildID string) []RegisteredCommand {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []RegisteredCommand
	for _, m := range s.commands[guildID] {
		raw, err := json.Marshal(m)
		if err != nil {
			continue
		}
		var c RegisteredCommand
		if json.Unmarshal(raw, &c) != nil {
			continue
		}
		c.Raw = raw
		out = append(out, c)
	}
	return out
}
