package fakediscord

import (
	"encoding/json"
	"net/http"
	"sort"
	"strconv"
)

// Discord's channel types the fake knows.
const (
	ChannelText         = 0
	ChannelCategory     = 4
	ChannelPublicThread = 11
	ChannelForum        = 15
)

const (
	codeUnknownChannel  = 10003
	codeInvalidFormBody = 50035
	codeThreadExists    = 160004
)

// ChannelOpts describes a channel, category, forum or thread.
type ChannelOpts struct {
	ID       string // default: a new id
	GuildID  string // default DefaultGuildID
	Type     int
	Name     string
	ParentID string // a thread's channel, or a channel's category
	OwnerID  string // who started a thread
}

func channelObject(o ChannelOpts) map[string]any {
	if o.ID == "" {
		o.ID = newID()
	}
	if o.GuildID == "" {
		o.GuildID = DefaultGuildID
	}
	if o.Name == "" {
		o.Name = "channel-" + o.ID
	}
	c := map[string]any{"id": o.ID, "guild_id": o.GuildID, "type": o.Type, "name": o.Name}
	if o.ParentID != "" {
		c["parent_id"] = o.ParentID
	}
	if o.Type >= 10 && o.Type <= 12 {
		c["owner_id"] = o.OwnerID
		c["thread_metadata"] = map[string]any{"archived": false, "auto_archive_duration": 1440, "locked": false}
		c["message_count"] = 0
		c["member_count"] = 1
	}
	return c
}

// AddChannel makes a channel known to GET /channels/{id}; it returns the
// channel object.
func (s *Server) AddChannel(o ChannelOpts) map[string]any {
	c := channelObject(o)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.storeChannelLocked(c)
	return copyMap(c)
}

func (s *Server) storeChannelLocked(c map[string]any) {
	if s.channels == nil {
		s.channels = map[string]map[string]any{}
	}
	id, _ := c["id"].(string)
	s.channels[id] = c
}

// Channel returns a copy of a channel the fake knows (added, dispatched in
// THREAD_CREATE or created by the client).
func (s *Server) Channel(id string) (map[string]any, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.channels[id]
	if !ok {
		return nil, false
	}
	return copyMap(c), true
}

// ThreadCreate returns a THREAD_CREATE payload for a thread just started
// (a forum post, say), ready for Dispatch; Dispatch makes the fake know it.
func ThreadCreate(o ChannelOpts) map[string]any {
	if o.Type == 0 {
		o.Type = ChannelPublicThread
	}
	if o.OwnerID == "" {
		o.OwnerID = DefaultUserID
	}
	c := channelObject(o)
	c["newly_created"] = true
	return c
}

// observeChannelLocked remembers a dispatched channel or thread.
func (s *Server) observeChannelLocked(raw []byte) {
	var c map[string]any
	if json.Unmarshal(raw, &c) != nil {
		return
	}
	if _, ok := c["id"].(string); ok {
		delete(c, "newly_created")
		s.storeChannelLocked(c)
	}
}

// channelRouteLocked answers channel and thread routes: GET
// /channels/{id}, GET /channels/{id}/messages, POST
// /channels/{id}/threads and POST /channels/{id}/messages/{id}/threads.
func (s *Server) channelRouteLocked(c Call, segs []string) (int, any, bool) {
	m := c.Method
	if v, ok := match(segs, "channels", "*"); ok && m == http.MethodGet {
		ch, found := s.channels[v[0]]
		if !found {
			return http.StatusNotFound, errorBody(codeUnknownChannel, "Unknown Channel"), true
		}
		return http.StatusOK, ch, true
	}
	if v, ok := match(segs, "channels", "*", "messages"); ok && m == http.MethodGet {
		return http.StatusOK, s.listMessagesLocked(c, v[0]), true
	}
	if v, ok := match(segs, "channels", "*", "threads"); ok && m == http.MethodPost {
		st, resp := s.startThreadLocked(c, v[0], newID())
		return st, resp, true
	}
	if v, ok := match(segs, "channels", "*", "messages", "*", "threads"); ok && m == http.MethodPost {
		if s.messages[v[0]][v[1]] == nil {
			return http.StatusNotFound, unknownMessage(), true
		}
		// A thread started from a message takes the message's id.
		st, resp := s.startThreadLocked(c, v[0], v[1])
		return st, resp, true
	}
	return 0, nil, false
}

func (s *Server) startThreadLocked(c Call, parentID, id string) (int, any) {
	p, ok := payload(c)
	if !ok {
		return http.StatusBadRequest, invalidJSON
	}
	name, _ := p["name"].(string)
	if name == "" || len([]rune(name)) > 100 {
		return http.StatusBadRequest, errorBody(codeInvalidFormBody, "Invalid Form Body: name must be 1 to 100 characters")
	}
	if s.channels[id] != nil {
		return http.StatusBadRequest, errorBody(codeThreadExists, "A thread has already been created for this message")
	}
	guild := DefaultGuildID
	if parent := s.channels[parentID]; parent != nil {
		if g, _ := parent["guild_id"].(string); g != "" {
			guild = g
		}
	}
	th := channelObject(ChannelOpts{ID: id, GuildID: guild, Type: ChannelPublicThread, Name: name, ParentID: parentID, OwnerID: s.BotUserID})
	s.storeChannelLocked(th)
	return http.StatusCreated, th
}

// listMessagesLocked answers GET /channels/{id}/messages: newest first,
// before= and limit= honoured.
func (s *Server) listMessagesLocked(c Call, channelID string) []any {
	limit := 50
	if n, err := strconv.Atoi(c.Query.Get("limit")); err == nil && n > 0 && n <= 100 {
		limit = n
	}
	before, _ := strconv.ParseUint(c.Query.Get("before"), 10, 64)
	type entry struct {
		id uint64
		m  map[string]any
	}
	var list []entry
	for k, m := range s.messages[channelID] {
		id, err := strconv.ParseUint(k, 10, 64)
		if err != nil || (before != 0 && id >= before) {
			continue
		}
		list = append(list, entry{id, m})
	}
	sort.Slice(list, func(i, j int) bool { return list[i].id > list[j].id })
	out := []any{}
	for i := 0; i < len(list) && i < limit; i++ {
		out = append(out, list[i].m)
	}
	return out
}
