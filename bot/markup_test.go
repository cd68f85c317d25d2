package bot

import "testing"

func TestCleanQuestion(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ in, want string }{
		{"Who led the talks?", "Who led the talks?"},
		{"  Who led the talks?  ", "Who led the talks?"},
		{"<@123> Who led the talks?", "Who led the talks?"},
		{"<@!123>, who led the talks?", "who led the talks?"},
		{"Who led the talks <@&456>?", "Who led the talks?"},
		{"<#789> @everyone: who led the talks? @here", "who led the talks?"},
		{"Who led <:cuba:1234> the talks <a:wave:99>?", "Who led the talks?"},
		{"</ask:1> who led the talks on <t:1266537600:D> or <t:1266537600>?", "who led the talks on or?"},
		{"<id:browse> who led the talks?", "who led the talks?"},
		// Not markup: the same characters in ordinary text stay.
		{"Write to ops@here.example about <the talks>", "Write to ops@here.example about <the talks>"},
		{"Is @heresy a word? <@abc>", "Is @heresy a word? <@abc>"},
		{"a <b> c <:not emoji> 2 < 3 !", "a <b> c <:not emoji> 2 < 3!"},
		// Only markup: nothing is left to answer.
		{"<@123> <@&456> @everyone <:x:1>", ""},
		{"<@123>", ""},
	} {
		if got := cleanQuestion(c.in); got != c.want {
			t.Errorf("cleanQuestion(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
