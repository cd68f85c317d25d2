package fakediscord

import (
	"testing"

	"github.com/bwmarrin/discordgo"
)

// A button opens a modal; its submission, a string select and a click on a
// posted message decode in discordgo as Discord's would, and an ephemeral
// follow-up is recorded as one.
func TestComponentsModalsAndFollowUps(t *testing.T) {
	t.Parallel()
	fake := New(t)
	dg := fake.NewSession(t)
	got := make(chan *discordgo.InteractionCreate, 4)
	dg.AddHandler(func(_ *discordgo.Session, i *discordgo.InteractionCreate) { got <- i })
	fake.Open(t, dg)

	// The bot posts a message with a button; a click on it carries it.
	posted, err := dg.ChannelMessageSendComplex("66", &discordgo.MessageSend{Content: "answer", Components: []discordgo.MessageComponent{
		discordgo.ActionsRow{Components: []discordgo.MessageComponent{discordgo.Button{CustomID: "vote:down", Label: "👎"}}}}})
	if err != nil {
		t.Fatal(err)
	}
	sent := fake.WaitMessage(t, wait, func(m Message) bool { return m.Kind == KindChannelSend })
	if sent.ID() != posted.ID || len(sent.Buttons()) != 1 || sent.Buttons()[0].CustomID != "vote:down" {
		t.Fatalf("sent message: id %q buttons %+v", sent.ID(), sent.Buttons())
	}
	fake.Dispatch(t, "INTERACTION_CREATE", fake.ButtonOn("vote:down", sent, SlashOpts{ID: "c1", Token: "tok-c1"}))
	i := receive(t, got)
	if i.Message == nil || i.Message.ID != posted.ID || i.Message.Content != "answer" || len(i.Message.Components) != 1 || i.ChannelID != "66" {
		t.Fatalf("click: %+v", i.Message)
	}

	// Answered with a modal (type 9).
	if err := dg.InteractionRespond(i.Interaction, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseModal,
		Data: &discordgo.InteractionResponseData{CustomID: "why", Title: "Why?", Components: []discordgo.MessageComponent{
			discordgo.ActionsRow{Components: []discordgo.MessageComponent{discordgo.TextInput{CustomID: "reason", Label: "Reason", Style: discordgo.TextInputShort}}},
		}}}); err != nil {
		t.Fatal(err)
	}
	modal := fake.WaitModal(t, wait, "tok-c1")
	if modal.CustomID != "why" || modal.Title != "Why?" || len(modal.Inputs) != 1 || modal.Inputs[0].CustomID != "reason" {
		t.Errorf("modal: %+v", modal)
	}
	for _, m := range fake.Messages() {
		if m.Token == "tok-c1" {
			t.Errorf("a modal is no message: %+v", m)
		}
	}

	// Its submission (type 5).
	fake.Dispatch(t, "INTERACTION_CREATE", fake.ModalSubmitOn("why", []Field{{"reason", "outdated"}}, sent, SlashOpts{ID: "s1", Token: "tok-s1"}))
	i = receive(t, got)
	if i.Type != discordgo.InteractionModalSubmit || i.ModalSubmitData().CustomID != "why" || i.Message == nil || i.Message.ID != posted.ID || i.Message.Content != "answer" {
		t.Fatalf("modal submit: %+v", i.Interaction)
	}
	row, ok := i.ModalSubmitData().Components[0].(*discordgo.ActionsRow)
	if !ok {
		t.Fatalf("modal components: %+v", i.ModalSubmitData().Components)
	}
	if in, ok := row.Components[0].(*discordgo.TextInput); !ok || in.CustomID != "reason" || in.Value != "outdated" {
		t.Errorf("text input: %+v", row.Components[0])
	}
	// UPDATE_MESSAGE from the modal edits the message (discordgo always
	// sends its content, so it is sent unchanged), and an ephemeral
	// follow-up is recorded as such.
	if err := dg.InteractionRespond(i.Interaction, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseUpdateMessage,
		Data: &discordgo.InteractionResponseData{Content: i.Message.Content, Components: []discordgo.MessageComponent{}}}); err != nil {
		t.Fatal(err)
	}
	if m, err := dg.ChannelMessage("66", posted.ID); err != nil || len(m.Components) != 0 || m.Content != "answer" {
		t.Errorf("updated message: %+v %v", m, err)
	}
	if _, err := dg.FollowupMessageCreate(i.Interaction, true, &discordgo.WebhookParams{Content: "noted", Flags: discordgo.MessageFlagsEphemeral}); err != nil {
		t.Fatal(err)
	}
	f := fake.WaitMessage(t, wait, func(m Message) bool { return m.Kind == KindWebhookSend && m.Token == "tok-s1" })
	if !f.Ephemeral() || f.Content != "noted" || sent.Ephemeral() {
		t.Errorf("follow-up: %+v", f)
	}

	// A choice in a string select.
	fake.Dispatch(t, "INTERACTION_CREATE", SelectMenu("pick", []string{"b"}, SlashOpts{ID: "p1"}))
	i = receive(t, got)
	if d := i.MessageComponentData(); d.CustomID != "pick" || d.ComponentType != discordgo.SelectMenuComponent || len(d.Values) != 1 || d.Values[0] != "b" {
		t.Errorf("select: %+v", d)
	}
}
