package fakediscord

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
)

func TestChannelsAndThreads(t *testing.T) {
	t.Parallel()
	fake := New(t)
	dg := fake.NewSession(t) // REST needs no gateway
	const cat, ch = "700", "701"
	fake.AddChannel(ChannelOpts{ID: cat, Type: ChannelCategory})
	fake.AddChannel(ChannelOpts{ID: ch, Type: ChannelText, ParentID: cat, Name: "cuba"})

	got, err := dg.Channel(ch)
	if err != nil || got.Type != discordgo.ChannelTypeGuildText || got.ParentID != cat || got.Name != "cuba" || got.GuildID != DefaultGuildID {
		t.Fatalf("Channel(%s) = %+v, %v", ch, got, err)
	}
	var rest *discordgo.RESTError
	if _, err := dg.Channel("799"); !errors.As(err, &rest) || rest.Response.StatusCode != http.StatusNotFound {
		t.Errorf("unknown channel: %v", err)
	}

	first := fake.SeedMessage(ch, map[string]any{"content": "what about Havana?"})
	th, err := dg.MessageThreadStart(ch, first, "What about Havana?", 1440)
	if err != nil {
		t.Fatal(err)
	}
	if th.ID != first || th.ParentID != ch || th.OwnerID != fake.BotUserID || th.Type != discordgo.ChannelTypeGuildPublicThread || th.Name != "What about Havana?" {
		t.Errorf("thread from a message = %+v", th)
	}
	if _, err := dg.MessageThreadStart(ch, first, "again", 1440); err == nil {
		t.Error("a second thread on the same message was accepted")
	}
	if _, err := dg.MessageThreadStart(ch, "798", "x", 1440); err == nil {
		t.Error("a thread on an unknown message was accepted")
	}
	if _, err := dg.ThreadStart(ch, strings.Repeat("n", 101), discordgo.ChannelTypeGuildPublicThread, 60); err == nil {
		t.Error("a thread name over 100 characters was accepted")
	}
	free, err := dg.ThreadStart(ch, "loose", discordgo.ChannelTypeGuildPublicThread, 60)
	if err != nil || free.ID == "" || free.ID == first || free.ParentID != ch {
		t.Errorf("ThreadStart = %+v, %v", free, err)
	}
	if c, ok := fake.Channel(th.ID); !ok || c["parent_id"] != ch {
		t.Errorf("the fake does not know the thread: %v", c)
	}

	// Messages in a thread are listed newest first, before= and limit= honoured.
	var ids []string
	for _, text := range []string{"one", "two", "three"} {
		m, err := dg.ChannelMessageSend(th.ID, text)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, m.ID)
	}
	list, err := dg.ChannelMessages(th.ID, 2, ids[2], "", "")
	if err != nil || len(list) != 2 || list[0].Content != "two" || list[1].Content != "one" {
		t.Errorf("ChannelMessages = %v, %v", list, err)
	}
}

func TestThreadCreateDispatched(t *testing.T) {
	t.Parallel()
	fake := New(t)
	dg := fake.NewSession(t)
	got := make(chan *discordgo.ThreadCreate, 1)
	dg.AddHandler(func(_ *discordgo.Session, tc *discordgo.ThreadCreate) { got <- tc })
	fake.Open(t, dg)
	fake.AddChannel(ChannelOpts{ID: "710", Type: ChannelForum})
	fake.Dispatch(t, "THREAD_CREATE", ThreadCreate(ChannelOpts{ID: "711", ParentID: "710", Name: "A post"}))
	var tc *discordgo.ThreadCreate
	select {
	case tc = <-got:
	case <-time.After(10 * time.Second):
		t.Fatal("THREAD_CREATE did not reach the handler")
	}
	if tc.ID != "711" || tc.ParentID != "710" || !tc.NewlyCreated || tc.OwnerID != DefaultUserID || tc.Name != "A post" {
		t.Errorf("THREAD_CREATE = %+v", tc.Channel)
	}
	if c, ok := fake.Channel("711"); !ok || c["name"] != "A post" {
		t.Errorf("the fake does not know the dispatched thread: %v", c)
	}
}
