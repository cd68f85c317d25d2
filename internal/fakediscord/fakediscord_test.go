package fakediscord

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"
)

const wait = 5 * time.Second

func TestMain(m *testing.M) {
	logs := CaptureLogs()
	os.Exit(logs.ExitCode(m.Run(), os.Stderr))
}

func receive[T any](t *testing.T, ch <-chan T) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(wait):
		t.Fatalf("timed out waiting for %T", *new(T))
		panic("unreachable")
	}
}

func TestOpenReadyAndHeartbeat(t *testing.T) {
	t.Parallel()
	fake := New(t)
	// Set up by hand, as the package doc shows (NewSession and Open do this).
	dg, err := discordgo.New("Bot " + fake.BotToken)
	if err != nil {
		t.Fatal(err)
	}
	dg.Client = fake.HTTPClient()
	dg.ShouldReconnectOnError = false
	dg.Identify.Intents = discordgo.IntentsGuildMessages | discordgo.IntentMessageContent
	if err := dg.Open(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = dg.Close() })

	if dg.State.User == nil || dg.State.User.ID != fake.BotUserID || !dg.State.User.Bot || dg.State.User.Username != BotUsername {
		t.Fatalf("State.User = %+v, want the bot user %s", dg.State.User, fake.BotUserID)
	}
	if dg.State.Application == nil || dg.State.Application.ID != fake.AppID {
		t.Fatalf("State.Application = %+v, want id %s", dg.State.Application, fake.AppID)
	}
	var id struct {
		Token   string `json:"token"`
		Intents int    `json:"intents"`
	}
	if err := json.Unmarshal(fake.WaitIdentify(t, wait), &id); err != nil {
		t.Fatal(err)
	}
	if id.Token != "Bot "+fake.BotToken || id.Intents != int(dg.Identify.Intents) {
		t.Errorf("IDENTIFY = %+v", id)
	}
	if n := fake.Connected(); n != 1 {
		t.Errorf("Connected() = %d, want 1", n)
	}
	gw := fake.WaitCall(t, wait, Match("GET", "/gateway"))
	if gw.Path != "/api/v9/gateway" || gw.Header.Get("Authorization") != "Bot "+fake.BotToken {
		t.Errorf("gateway call = %s %v", gw.Path, gw.Header)
	}

	// The client heartbeats at once; the ACK updates LastHeartbeatAck
	// (set at HELLO, before the heartbeat was sent).
	hb := fake.WaitFrame(t, wait, opHeartbeat)
	deadline := time.Now().Add(wait)
	for {
		dg.RLock()
		ack := dg.LastHeartbeatAck
		dg.RUnlock()
		if ack.After(hb.At) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("heartbeat never acknowledged")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestSlashCommandRespondAndEdit(t *testing.T) {
	t.Parallel()
	fake := New(t)
	dg := fake.NewSession(t)
	type result struct {
		i       *discordgo.InteractionCreate
		errs    []error
		message *discordgo.Message
	}
	results := make(chan result, 1)
	dg.AddHandler(func(s *discordgo.Session, i *discordgo.InteractionCreate) {
		r := result{i: i}
		err := s.InteractionRespond(i.Interaction, &discordgo.InteractionResponse{
			Type: discordgo.InteractionResponseDeferredChannelMessageWithSource,
		})
		r.errs = append(r.errs, err)
		content := "France and Germany signed the treaty [1]."
		r.message, err = s.InteractionResponseEdit(i.Interaction, &discordgo.WebhookEdit{
			Content:         &content,
			Embeds:          &[]*discordgo.MessageEmbed{{Title: "Sources", Description: "[1] Le Monde"}},
			AllowedMentions: &discordgo.MessageAllowedMentions{},
		})
		r.errs = append(r.errs, err)
		results <- r
	})
	fake.Open(t, dg)

	payload := SlashCommand(SlashOpts{
		Command: "ask",
		Options: []Opt{{Name: "question", Value: "What did France and Germany sign?"}, {Name: "limit", Value: 3}, {Name: "private", Value: true}},
		Roles:   []string{"42"},
	})
	fake.Dispatch(t, "INTERACTION_CREATE", payload)
	r := receive(t, results)
	for _, err := range r.errs {
		if err != nil {
			t.Fatalf("handler REST error: %v", err)
		}
	}

	in := r.i.Interaction
	data := in.ApplicationCommandData()
	if in.Type != discordgo.InteractionApplicationCommand || data.Name != "ask" || len(data.Options) != 3 {
		t.Fatalf("interaction = type %v, data %+v", in.Type, data)
	}
	if q := data.Options[0].StringValue(); q != "What did France and Germany sign?" {
		t.Errorf("question = %q", q)
	}
	if n := data.Options[1].IntValue(); n != 3 {
		t.Errorf("limit = %d", n)
	}
	if !data.Options[2].BoolValue() {
		t.Error("private = false")
	}
	if in.Member == nil || in.Member.User.ID != DefaultUserID || len(in.Member.Roles) != 1 || in.Member.Roles[0] != "42" {
		t.Errorf("member = %+v", in.Member)
	}
	if in.GuildID != DefaultGuildID || in.ChannelID != DefaultChannelID || in.AppID != fake.AppID {
		t.Errorf("guild/channel/app = %s/%s/%s", in.GuildID, in.ChannelID, in.AppID)
	}

	cb := fake.WaitCall(t, wait, Match("POST", "/interactions/*/*/callback"))
	if cb.Path != "/api/v9/interactions/"+in.ID+"/"+in.Token+"/callback" || cb.Status != http.StatusNoContent {
		t.Errorf("callback = %s -> %d", cb.Path, cb.Status)
	}
	var cbBody struct{ Type int }
	if err := cb.JSON(&cbBody); err != nil || cbBody.Type != 5 {
		t.Errorf("callback body %s: type %d, %v", cb.Body, cbBody.Type, err)
	}
	edit := fake.WaitCall(t, wait, Match("PATCH", "/webhooks/*/*/messages/@original"))
	if edit.Path != "/api/v9/webhooks/"+fake.AppID+"/"+in.Token+"/messages/@original" || edit.Status != http.StatusOK {
		t.Errorf("edit = %s -> %d", edit.Path, edit.Status)
	}
	if edit.Header.Get("Authorization") != "Bot "+fake.BotToken {
		t.Errorf("edit Authorization = %q", edit.Header.Get("Authorization"))
	}
	if r.message == nil || r.message.ID == "" || r.message.ChannelID != DefaultChannelID ||
		r.message.Content != "France and Germany signed the treaty [1]." || len(r.message.Embeds) != 1 || r.message.Flags&discordgo.MessageFlagsLoading != 0 {
		t.Errorf("edited message = %+v", r.message)
	}

	msgs := fake.Messages()
	if len(msgs) != 1 {
		t.Fatalf("Messages() = %v, want the edit only (a deferral carries no message)", msgs)
	}
	m := msgs[0]
	if m.Kind != KindWebhookEdit || m.Token != in.Token || m.ChannelID != DefaultChannelID || m.MessageID != "@original" ||
		m.Content != "France and Germany signed the treaty [1]." || len(m.Embeds) != 1 || m.Embeds[0].Title != "Sources" ||
		m.AllowedMentions == nil || len(m.AllowedMentions.Parse) != 0 {
		t.Errorf("message view = %v (%+v)", m, m.AllowedMentions)
	}

	// The original response, as stored, is readable; a second
	// acknowledgement is refused as Discord refuses it.
	got, err := dg.InteractionResponse(in)
	if err != nil || got.ID != r.message.ID || got.Content != r.message.Content {
		t.Errorf("InteractionResponse = %+v, %v", got, err)
	}
	err = dg.InteractionRespond(in, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{Content: "again"}})
	var rest *discordgo.RESTError
	if !errors.As(err, &rest) || rest.Response.StatusCode != http.StatusBadRequest || rest.Message == nil || rest.Message.Code != codeAlreadyAcked {
		t.Errorf("second InteractionRespond: %v", err)
	}

	// Follow-ups: with wait the message comes back; without, nothing.
	fu, err := dg.FollowupMessageCreate(in, true, &discordgo.WebhookParams{Content: "more"})
	if err != nil || fu == nil || fu.ID == "" || fu.Content != "more" || fu.ChannelID != DefaultChannelID {
		t.Fatalf("FollowupMessageCreate(wait) = %+v, %v", fu, err)
	}
	if nowait, err := dg.FollowupMessageCreate(in, false, &discordgo.WebhookParams{Content: "silent"}); err != nil || nowait != nil {
		t.Errorf("FollowupMessageCreate(no wait) = %+v, %v", nowait, err)
	}
	text := "edited"
	if e, err := dg.FollowupMessageEdit(in, fu.ID, &discordgo.WebhookEdit{Content: &text}); err != nil || e.Content != "edited" || e.EditedTimestamp == nil {
		t.Errorf("FollowupMessageEdit = %+v, %v", e, err)
	}
	if err := dg.FollowupMessageDelete(in, fu.ID); err != nil {
		t.Errorf("FollowupMessageDelete: %v", err)
	}
	if _, err := dg.FollowupMessageEdit(in, fu.ID, &discordgo.WebhookEdit{Content: &text}); err == nil {
		t.Error("editing a deleted follow-up succeeded")
	}
	kinds := []string{}
	for _, m := range fake.Messages() {
		kinds = append(kinds, m.Kind+":"+m.Content)
	}
	want := []string{KindWebhookEdit + ":France and Germany signed the treaty [1].", KindWebhookSend + ":more", KindWebhookSend + ":silent", KindWebhookEdit + ":edited"}
	if strings.Join(kinds, "|") != strings.Join(want, "|") {
		t.Errorf("Messages() kinds = %v, want %v", kinds, want)
	}
}

func TestInteractionPayloadsDecode(t *testing.T) {
	t.Parallel()
	fake := New(t)
	dg := fake.NewSession(t)
	got := make(chan *discordgo.InteractionCreate, 4)
	dg.AddHandler(func(_ *discordgo.Session, i *discordgo.InteractionCreate) { got <- i })
	fake.Open(t, dg)

	// A sub-command group in a DM.
	fake.Dispatch(t, "INTERACTION_CREATE", SlashCommand(SlashOpts{
		Command: "admin", DM: true, UserID: "77",
		Options: []Opt{{Name: "index", Options: []Opt{{Name: "rebuild", Options: []Opt{{Name: "ratio", Value: 0.5}}}}}},
	}))
	i := receive(t, got)
	d := i.ApplicationCommandData()
	if i.Member != nil || i.User == nil || i.User.ID != "77" || i.GuildID != "" {
		t.Errorf("DM interaction: member %+v, user %+v, guild %q", i.Member, i.User, i.GuildID)
	}
	if len(d.Options) != 1 || d.Options[0].Type != discordgo.ApplicationCommandOptionSubCommandGroup ||
		d.Options[0].Options[0].Type != discordgo.ApplicationCommandOptionSubCommand ||
		d.Options[0].Options[0].Options[0].FloatValue() != 0.5 {
		t.Errorf("options = %+v", d.Options)
	}
	// An immediate answer (type 4) becomes the original response.
	if err := dg.InteractionRespond(i.Interaction, &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{Content: "rebuilding", Flags: discordgo.MessageFlagsEphemeral},
	}); err != nil {
		t.Fatal(err)
	}
	if orig, err := dg.InteractionResponse(i.Interaction); err != nil || orig.Content != "rebuilding" || orig.Flags != discordgo.MessageFlagsEphemeral || orig.ChannelID != DefaultChannelID {
		t.Errorf("original = %+v, %v", orig, err)
	}

	// Autocomplete marks the focused option.
	fake.Dispatch(t, "INTERACTION_CREATE", Autocomplete(SlashOpts{
		Command: "ask", Options: []Opt{{Name: "country", Value: "Fra"}, {Name: "question", Value: "x"}},
	}, "country"))
	i = receive(t, got)
	d = i.ApplicationCommandData()
	if i.Type != discordgo.InteractionApplicationCommandAutocomplete || !d.Options[0].Focused || d.Options[1].Focused {
		t.Errorf("autocomplete: type %v options %+v", i.Type, d.Options)
	}
	// Editing an original response that was never sent is refused.
	text := "too early"
	if _, err := dg.InteractionResponseEdit(i.Interaction, &discordgo.WebhookEdit{Content: &text}); err == nil {
		t.Error("editing an unsent original response succeeded")
	}
	if err := dg.InteractionRespond(i.Interaction, &discordgo.InteractionResponse{
		Type: discordgo.InteractionApplicationCommandAutocompleteResult,
		Data: &discordgo.InteractionResponseData{Choices: []*discordgo.ApplicationCommandOptionChoice{{Name: "France", Value: "France"}}},
	}); err != nil {
		t.Errorf("autocomplete result: %v", err)
	}

	// A button on a message the bot posted.
	fake.Dispatch(t, "INTERACTION_CREATE", Button("sources:more", SlashOpts{MessageID: "555", ChannelID: "66"}))
	i = receive(t, got)
	if i.Type != discordgo.InteractionMessageComponent || i.MessageComponentData().CustomID != "sources:more" ||
		i.Message == nil || i.Message.ID != "555" || i.Message.ChannelID != "66" || i.ChannelID != "66" {
		t.Errorf("button: %+v", i.Interaction)
	}
	// UPDATE_MESSAGE (type 7) edits the message carrying the button.
	fake.SeedMessage("66", map[string]any{"id": "555", "content": "old", "author": BotUser()})
	if err := dg.InteractionRespond(i.Interaction, &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseUpdateMessage,
		Data: &discordgo.InteractionResponseData{Content: "new"},
	}); err != nil {
		t.Fatal(err)
	}
	if m, err := dg.ChannelMessage("66", "555"); err != nil || m.Content != "new" || m.EditedTimestamp == nil {
		t.Errorf("updated message = %+v, %v", m, err)
	}

	var views []string
	for _, m := range fake.Messages() {
		views = append(views, m.Kind+":"+m.ChannelID+":"+m.MessageID+":"+m.Content)
	}
	want := []string{
		KindInteractionResponse + ":" + DefaultChannelID + "::rebuilding",
		KindInteractionResponse + ":66:555:new",
	}
	if strings.Join(views, "|") != strings.Join(want, "|") {
		t.Errorf("Messages() = %v, want %v (autocomplete results are no messages)", views, want)
	}
}

func TestChannelMessagesStoredAndFetched(t *testing.T) {
	t.Parallel()
	fake := New(t)
	dg := fake.NewSession(t) // REST needs no gateway
	const ch = "123"
	question := fake.SeedMessage(ch, map[string]any{"content": "what about Spain?", "author": map[string]any{"id": "9", "username": "ana"}})

	seeded, err := dg.ChannelMessage(ch, question)
	if err != nil || seeded.ID != question || seeded.Content != "what about Spain?" || seeded.Author.ID != "9" || seeded.ChannelID != ch {
		t.Fatalf("ChannelMessage(seeded) = %+v, %v", seeded, err)
	}
	if seeded.Timestamp.IsZero() {
		t.Error("seeded message has no timestamp")
	}

	sent, err := dg.ChannelMessageSendComplex(ch, &discordgo.MessageSend{
		Content:         "Spain joined in 1986 [1].",
		Embeds:          []*discordgo.MessageEmbed{{Title: "Sources"}},
		Reference:       &discordgo.MessageReference{MessageID: question},
		AllowedMentions: &discordgo.MessageAllowedMentions{RepliedUser: false},
		Components: []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
			discordgo.Button{Label: "More", CustomID: "more", Style: discordgo.PrimaryButton},
		}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if sent.ID == "" || sent.ChannelID != ch || sent.Content != "Spain joined in 1986 [1]." || sent.Author == nil || sent.Author.ID != fake.BotUserID {
		t.Errorf("sent = %+v", sent)
	}
	if sent.Type != discordgo.MessageTypeReply || sent.MessageReference == nil || sent.MessageReference.MessageID != question ||
		sent.ReferencedMessage == nil || sent.ReferencedMessage.Content != "what about Spain?" {
		t.Errorf("reply fields: type %v ref %+v referenced %+v", sent.Type, sent.MessageReference, sent.ReferencedMessage)
	}
	if len(sent.Embeds) != 1 || sent.Embeds[0].Type != discordgo.EmbedTypeRich || len(sent.Components) != 1 {
		t.Errorf("embeds %+v components %+v", sent.Embeds, sent.Components)
	}
	again, err := dg.ChannelMessage(ch, sent.ID)
	if err != nil || again.Content != sent.Content {
		t.Errorf("ChannelMessage(sent) = %+v, %v", again, err)
	}
	edited, err := dg.ChannelMessageEdit(ch, sent.ID, "Spain joined in 1986 [1][2].")
	if err != nil || edited.ID != sent.ID || edited.Content != "Spain joined in 1986 [1][2]." || edited.EditedTimestamp == nil {
		t.Errorf("ChannelMessageEdit = %+v, %v", edited, err)
	}
	if _, err := dg.ChannelMessage(ch, "404404"); err == nil {
		t.Error("fetching an unknown message succeeded")
	}

	// Multipart: the payload_json part is what Call.JSON decodes.
	withFile, err := dg.ChannelMessageSendComplex(ch, &discordgo.MessageSend{
		Content: "full answer attached",
		Files:   []*discordgo.File{{Name: "answer.md", ContentType: "text/markdown", Reader: strings.NewReader("# Answer")}},
	})
	if err != nil || len(withFile.Attachments) != 1 || withFile.Attachments[0].Filename != "answer.md" {
		t.Fatalf("send with file = %+v, %v", withFile, err)
	}
	calls := fake.WaitCalls(t, wait, 2, Match("POST", "/channels/"+ch+"/messages"))
	if !strings.HasPrefix(calls[1].Header.Get("Content-Type"), "multipart/form-data") {
		t.Fatalf("second send Content-Type = %q", calls[1].Header.Get("Content-Type"))
	}
	var p struct{ Content string }
	if err := calls[1].JSON(&p); err != nil || p.Content != "full answer attached" {
		t.Errorf("multipart JSON = %+v, %v", p, err)
	}
	if files := calls[1].Files(); len(files) != 1 || files[0].Name != "answer.md" || string(files[0].Data) != "# Answer" || files[0].Field != "files[0]" {
		t.Errorf("Files() = %+v", files)
	}

	msgs := fake.Messages()
	if len(msgs) != 3 || msgs[0].Kind != KindChannelSend || msgs[0].MessageID != sent.ID ||
		msgs[0].MessageReference == nil || msgs[0].MessageReference.MessageID != question || len(msgs[0].Components) != 1 ||
		msgs[1].Kind != KindChannelEdit || msgs[1].MessageID != sent.ID || msgs[2].Files[0].Name != "answer.md" {
		t.Errorf("Messages() = %v", msgs)
	}
	if m := fake.WaitMessage(t, wait, func(m Message) bool { return m.Kind == KindChannelEdit }); m.Content != "Spain joined in 1986 [1][2]." {
		t.Errorf("WaitMessage = %v", m)
	}

	if err := dg.ChannelTyping(ch); err != nil {
		t.Errorf("ChannelTyping: %v", err)
	}
	fake.WaitCall(t, wait, func(c Call) bool { return c.Route() == "/channels/"+ch+"/typing" && c.Status == http.StatusNoContent })
}

func TestApplicationCommands(t *testing.T) {
	t.Parallel()
	fake := New(t)
	dg := fake.NewSession(t)
	cmds := []*discordgo.ApplicationCommand{
		{Name: "ask", Description: "Ask a question", Options: []*discordgo.ApplicationCommandOption{
			{Type: discordgo.ApplicationCommandOptionString, Name: "question", Description: "q", Required: true},
		}},
		{Name: "sources", Description: "List sources"},
	}
	created, err := dg.ApplicationCommandBulkOverwrite(fake.AppID, "", cmds)
	if err != nil || len(created) != 2 {
		t.Fatalf("BulkOverwrite = %v, %v", created, err)
	}
	for i, c := range created {
		if c.ID == "" || c.Name != cmds[i].Name || c.ApplicationID != fake.AppID {
			t.Errorf("created[%d] = %+v", i, c)
		}
	}
	if len(created[0].Options) != 1 || created[0].Options[0].Name != "question" {
		t.Errorf("options not echoed: %+v", created[0].Options)
	}
	call := fake.WaitCall(t, wait, Match("PUT", "/applications/*/commands"))
	var sent []map[string]any
	if err := call.JSON(&sent); err != nil || len(sent) != 2 || sent[0]["name"] != "ask" {
		t.Errorf("PUT body = %s, %v", call.Body, err)
	}

	listed, err := dg.ApplicationCommands(fake.AppID, "")
	if err != nil || len(listed) != 2 || listed[0].ID != created[0].ID {
		t.Errorf("ApplicationCommands = %v, %v", listed, err)
	}
	// Overwriting again keeps the ids of commands by name.
	again, err := dg.ApplicationCommandBulkOverwrite(fake.AppID, "", cmds[:1])
	if err != nil || len(again) != 1 || again[0].ID != created[0].ID {
		t.Errorf("second overwrite = %v, %v", again, err)
	}

	guild, err := dg.ApplicationCommands(fake.AppID, "g1")
	if err != nil || len(guild) != 0 {
		t.Errorf("guild commands before any = %v, %v", guild, err)
	}
	one, err := dg.ApplicationCommandCreate(fake.AppID, "g1", &discordgo.ApplicationCommand{Name: "timeline", Description: "t"})
	if err != nil || one.ID == "" || one.GuildID != "g1" {
		t.Fatalf("ApplicationCommandCreate = %+v, %v", one, err)
	}
	if err := dg.ApplicationCommandDelete(fake.AppID, "g1", one.ID); err != nil {
		t.Errorf("ApplicationCommandDelete: %v", err)
	}
	if guild, _ := dg.ApplicationCommands(fake.AppID, "g1"); len(guild) != 0 {
		t.Errorf("guild commands after delete = %v", guild)
	}
	if _, err := dg.ApplicationCommands("999", ""); err == nil {
		t.Error("another application's commands were served")
	}
}

func TestRateLimitIsRetriedAfterRetryAfter(t *testing.T) {
	t.Parallel()
	fake := New(t)
	dg := fake.NewSession(t)
	const retry = 100 * time.Millisecond
	fake.RateLimit("POST", "/api/v9/channels/5/messages", 1, retry)

	m, err := dg.ChannelMessageSend("5", "hello")
	if err != nil || m.ID == "" {
		t.Fatalf("send = %+v, %v", m, err)
	}
	calls := fake.WaitCalls(t, wait, 2, Match("POST", "/channels/5/messages"))
	if calls[0].Status != http.StatusTooManyRequests || calls[1].Status != http.StatusOK {
		t.Fatalf("statuses = %d, %d", calls[0].Status, calls[1].Status)
	}
	if gap := calls[1].At.Sub(calls[0].At); gap < retry {
		t.Errorf("retried after %v, want >= %v", gap, retry)
	}
	var body struct {
		RetryAfter float64 `json:"retry_after"`
		Global     bool    `json:"global"`
		Message    string  `json:"message"`
	}
	if err := json.Unmarshal(calls[0].Response, &body); err != nil || body.RetryAfter != retry.Seconds() || body.Global || body.Message == "" {
		t.Errorf("429 body = %s, %v", calls[0].Response, err)
	}
	if n := len(fake.Messages()); n != 1 {
		t.Errorf("Messages() has %d entries, want 1 (the 429 posted nothing)", n)
	}
}

func TestFailAnswersStatusOnce(t *testing.T) {
	t.Parallel()
	fake := New(t)
	dg := fake.NewSession(t)
	fake.Fail("POST", "/channels/7/messages", 1, http.StatusForbidden)

	_, err := dg.ChannelMessageSend("7", "x")
	var rest *discordgo.RESTError
	if !errors.As(err, &rest) || rest.Response.StatusCode != http.StatusForbidden || rest.Message == nil || rest.Message.Code != 50013 {
		t.Fatalf("first send error = %v", err)
	}
	if _, err := dg.ChannelMessageSend("7", "y"); err != nil {
		t.Errorf("second send: %v", err)
	}
	// Other paths are untouched by the rule.
	fake.Fail("", "/channels/8", 1, http.StatusInternalServerError)
	if _, err := dg.ChannelMessageSend("9", "z"); err != nil {
		t.Errorf("send to another channel: %v", err)
	}
}

func TestMessageCreateReplyArrives(t *testing.T) {
	t.Parallel()
	fake := New(t)
	dg := fake.NewSession(t)
	got := make(chan *discordgo.MessageCreate, 2)
	dg.AddHandler(func(_ *discordgo.Session, m *discordgo.MessageCreate) { got <- m })
	fake.Open(t, dg)

	prev := MessageCreate(MessageOpts{Content: "earlier answer", AuthorID: fake.BotUserID, Author: BotUsername, AuthorBot: true})
	fake.Dispatch(t, "MESSAGE_CREATE", MessageCreate(MessageOpts{
		Content:    "<@" + fake.BotUserID + "> and Italy?",
		MentionBot: true,
		Roles:      []string{"r1"},
		ReplyTo:    prev,
	}))
	m := receive(t, got)
	if m.MessageReference == nil || m.MessageReference.MessageID != prev["id"] || m.MessageReference.ChannelID != DefaultChannelID {
		t.Fatalf("MessageReference = %+v", m.MessageReference)
	}
	if m.Type != discordgo.MessageTypeReply || m.ReferencedMessage == nil || m.ReferencedMessage.Content != "earlier answer" || !m.ReferencedMessage.Author.Bot {
		t.Errorf("referenced = %+v", m.ReferencedMessage)
	}
	if len(m.Mentions) != 1 || m.Mentions[0].ID != fake.BotUserID || m.GuildID != DefaultGuildID ||
		m.Member == nil || len(m.Member.Roles) != 1 || m.Author.ID != DefaultUserID {
		t.Errorf("message = %+v", m.Message)
	}
	// A dispatched message and the message it references can be fetched.
	for _, id := range []string{m.ID, m.MessageReference.MessageID} {
		if f, err := dg.ChannelMessage(DefaultChannelID, id); err != nil || f.ID != id {
			t.Errorf("ChannelMessage(%s) = %+v, %v", id, f, err)
		}
	}

	// A reply whose referenced message Discord did not resolve, in a DM.
	fake.Dispatch(t, "MESSAGE_CREATE", MessageCreate(MessageOpts{DM: true, ChannelID: "dm1", Content: "hi", ReplyToID: "31"}))
	m = receive(t, got)
	if m.MessageReference == nil || m.MessageReference.MessageID != "31" || m.ReferencedMessage != nil || m.GuildID != "" || m.Member != nil {
		t.Errorf("DM reply = %+v", m.Message)
	}
}

func TestAuthorizationRequired(t *testing.T) {
	t.Parallel()
	fake := New(t)
	req, err := http.NewRequest("GET", "https://discord.com/api/v9/users/@me", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := fake.HTTPClient().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(string(body), "Unauthorized") {
		t.Errorf("no Authorization: %d %s", resp.StatusCode, body)
	}
	c := fake.WaitCall(t, wait, Match("GET", "/users/@me"))
	if c.Status != http.StatusUnauthorized || c.Header.Get("Authorization") != "" {
		t.Errorf("recorded %+v", c)
	}

	wrong, _ := discordgo.New("Bot not-the-token")
	wrong.Client = fake.HTTPClient()
	_, err = wrong.User("@me")
	var rest *discordgo.RESTError
	if !errors.As(err, &rest) || rest.Response.StatusCode != http.StatusUnauthorized {
		t.Errorf("wrong token: %v", err)
	}

	dg := fake.NewSession(t)
	me, err := dg.User("@me")
	if err != nil || me.ID != fake.BotUserID {
		t.Errorf("right token: %+v, %v", me, err)
	}
	// The gateway refuses a wrong IDENTIFY token (close 4004), so Open fails.
	bad := fake.NewSession(t)
	bad.Identify.Token = "Bot nope"
	if err := bad.Open(); err == nil {
		_ = bad.Close()
		t.Error("Open with a wrong gateway token succeeded")
	}
}

func TestHTTPClientOnlyReachesDiscord(t *testing.T) {
	t.Parallel()
	fake := New(t)
	if _, err := fake.HTTPClient().Get("https://example.com/api/v9/gateway"); err == nil {
		t.Error("a request to another host went through")
	}
	req, _ := http.NewRequest("GET", "https://discord.com/api/v9/nowhere?x=1", nil)
	req.Header.Set("Authorization", "Bot "+fake.BotToken)
	resp, err := fake.HTTPClient().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown route: %d", resp.StatusCode)
	}
	calls := fake.Calls()
	if len(calls) != 1 || calls[0].Path != "/api/v9/nowhere" || calls[0].Query.Get("x") != "1" || calls[0].Status != http.StatusNotFound {
		t.Errorf("calls = %+v", calls)
	}
	// The server also answers at its own URL, as for a REST base URL.
	req, _ = http.NewRequest("GET", fake.URL+"/api/v9/users/@me", nil)
	req.Header.Set("Authorization", "Bot "+fake.BotToken)
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var u discordgo.User
	err = json.NewDecoder(resp.Body).Decode(&u)
	_ = resp.Body.Close()
	if err != nil || u.ID != fake.BotUserID {
		t.Errorf("direct /users/@me = %+v, %v", u, err)
	}
}

func TestDMChannel(t *testing.T) {
	t.Parallel()
	fake := New(t)
	dg := fake.NewSession(t)
	c1, err := dg.UserChannelCreate("77")
	if err != nil || c1.ID == "" || c1.Type != discordgo.ChannelTypeDM || len(c1.Recipients) != 1 || c1.Recipients[0].ID != "77" {
		t.Fatalf("UserChannelCreate = %+v, %v", c1, err)
	}
	c2, err := dg.UserChannelCreate("77")
	if err != nil || c2.ID != c1.ID {
		t.Errorf("second UserChannelCreate = %+v, %v; want the same channel", c2, err)
	}
}

func TestGatewayResumeAndDecodeError(t *testing.T) {
	t.Parallel()
	fake := New(t)
	ws, _, err := websocket.DefaultDialer.Dial(fake.GatewayURL()+"/?v=9&encoding=json", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	_ = ws.SetReadDeadline(time.Now().Add(wait))
	type frame struct {
		Op int             `json:"op"`
		S  *int64          `json:"s"`
		T  *string         `json:"t"`
		D  json.RawMessage `json:"d"`
	}
	read := func() frame {
		t.Helper()
		var f frame
		if err := ws.ReadJSON(&f); err != nil {
			t.Fatal(err)
		}
		return f
	}
	if f := read(); f.Op != opHello || !strings.Contains(string(f.D), `"heartbeat_interval":41250`) {
		t.Fatalf("first frame = %+v", f)
	}
	if err := ws.WriteJSON(map[string]any{"op": opResume, "d": map[string]any{"token": "Bot " + fake.BotToken, "session_id": "s", "seq": 3}}); err != nil {
		t.Fatal(err)
	}
	if f := read(); f.Op != opDispatch || f.T == nil || *f.T != "RESUMED" || f.S == nil || *f.S != 1 {
		t.Fatalf("after RESUME = %+v", f)
	}
	if err := ws.WriteJSON(map[string]any{"op": opHeartbeat, "d": 1}); err != nil {
		t.Fatal(err)
	}
	if f := read(); f.Op != opHeartbeatACK {
		t.Fatalf("after heartbeat = %+v", f)
	}
	fake.Dispatch(t, "GUILD_CREATE", map[string]any{"id": "g"})
	if f := read(); f.T == nil || *f.T != "GUILD_CREATE" || *f.S != 2 {
		t.Fatalf("dispatch = %+v", f)
	}
	if err := ws.WriteMessage(websocket.TextMessage, []byte("not json")); err != nil {
		t.Fatal(err)
	}
	_, _, err = ws.ReadMessage()
	var ce *websocket.CloseError
	if !errors.As(err, &ce) || ce.Code != closeDecodeError {
		t.Fatalf("after garbage: %v", err)
	}
	if ops := fake.Frames(); len(ops) != 2 || ops[0].Op != opResume || ops[1].Op != opHeartbeat {
		t.Errorf("Frames() = %+v", ops)
	}
}
