package bot

import (
	"context"
	"time"

	"github.com/bwmarrin/discordgo"

	"attache"
	"attache/internal/metrics"
)

// AnswerLog keeps the questions the bot answers, for its operators. The
// user ID is given raw; the log stores only a salted hash of it.
type AnswerLog interface {
	LogAnswer(ctx context.Context, e attache.LoggedAnswer, userID string) error
}

// asked is a question on its way to an answer: what the answer log needs
// besides the answer itself. It travels in the context of the answer.
type asked struct {
	command   string
	channelID string
	userID    string
	question  string
}

type askedKey struct{}

func withAsked(ctx context.Context, q *asked) context.Context {
	return context.WithValue(ctx, askedKey{}, q)
}

func askedIn(ctx context.Context) *asked {
	q, _ := ctx.Value(askedKey{}).(*asked)
	return q
}

// logOutcome maps an outcome of attache_answers_total to the answer log's;
// "" means the outcome is not logged (the question was not taken up).
func logOutcome(outcome string) string {
	switch outcome {
	case metrics.OutcomeAnswered, metrics.OutcomeFallback:
		return attache.OutcomeAnswered
	case metrics.OutcomeRefused:
		return attache.OutcomeRefused
	case metrics.OutcomePartial:
		return attache.OutcomePartial
	case metrics.OutcomeError:
		return attache.OutcomeError
	case metrics.OutcomeRateLimited:
		return attache.OutcomeRateLimited
	case metrics.OutcomeBusy, metrics.OutcomeRestarting:
		return attache.OutcomeBusy
	}
	return ""
}

// outcome counts how a question ended and, when the answer log is on and
// ctx carries the question, logs it. a is the answer, when there is one.
func (b *Bot) outcome(ctx context.Context, command, outcome string, a *attache.Answer) {
	b.metrics.Answer(command, outcome)
	b.logAnswer(ctx, askedIn(ctx), outcome, a)
}

func (b *Bot) logAnswer(ctx context.Context, q *asked, outcome string, a *attache.Answer) {
	lo := logOutcome(outcome)
	if b.answers == nil || q == nil || lo == "" {
		return
	}
	e := attache.LoggedAnswer{Time: time.Now(), Question: q.question, Outcome: lo, Command: q.command,
		ChannelID: q.channelID, DocIDs: []string{}}
	if a != nil {
		if e.Question == "" {
			e.Question = a.Question
		}
		e.DocIDs = attache.CitedDocs(*a)
		e.LatencyMS, e.Model, e.Usage, e.Reason = a.LatencyMS, a.Model, a.Usage, a.Reason
	}
	// The entry is written even when the answer's own time ran out.
	wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), logWriteTimeout)
	defer cancel()
	if err := b.answers.LogAnswer(wctx, e, q.userID); err != nil {
		b.log.Warn("answer log: writing an entry failed", "err", err)
	}
}

// logWriteTimeout bounds the writing of one answer log entry.
const logWriteTimeout = 5 * time.Second

// askedBy describes the question of a slash or context-menu command for
// the answer log; nil for commands that ask nothing (sources, reload).
func askedBy(cmd string, i *discordgo.Interaction, opts map[string]optValue, target *discordgo.Message) *asked {
	q := &asked{command: commandLabel(cmd), channelID: i.ChannelID}
	q.userID, _ = interactionUser(i)
	switch {
	case target != nil:
		q.question = cleanQuestion(target.Content)
	case cmd == "ask":
		q.question = cleanQuestion(opts["question"].str)
	case cmd == "search":
		q.question = cleanQuestion(opts["query"].str)
	case cmd == "timeline", cmd == "summary" && opts[""].sub == "topic":
		q.question = cleanQuestion(opts["topic"].str)
	case cmd == "summary" && opts[""].sub == "article":
		q.question = opts["title"].str
	case cmd == "summary":
		// A summary of recent articles: the answer names what it summarises.
	default:
		return nil
	}
	return q
}

// hitCitations turns search hits into citations, so that the answer log
// names the documents a search returned.
func hitCitations(hits []attache.Hit) []attache.Citation {
	cites := make([]attache.Citation, 0, len(hits))
	for n, h := range hits {
		cites = append(cites, attache.CitationFor(n+1, h.Passage))
	}
	return cites
}
