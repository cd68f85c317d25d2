package bot

import (
	"context"
	"testing"
	"time"

	"attache/internal/fakediscord"
	"attache/internal/metrics"
)

func TestGatewayReconnectsAreCounted(t *testing.T) {
	t.Parallel()
	fake := fakediscord.New(t)
	m := metrics.New()
	b, err := New(Config{Token: fake.BotToken}, panicky{}, Options{HTTPClient: fake.HTTPClient(), Metrics: m})
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Open(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	fake.WaitHeartbeat(t, 5*time.Second, 1)
	count := func() float64 { return gatewayReconnects(t, m) }
	if n := count(); n != 0 {
		t.Fatalf("%v reconnects before any", n)
	}
	fake.RequestReconnect(t)
	fake.WaitFrame(t, 10*time.Second, 6) // the session is resumed on a new connection
	deadline := time.Now().Add(10 * time.Second)
	for count() != 1 {
		if time.Now().After(deadline) {
			t.Fatalf("reconnects = %v after one reconnect, want 1", count())
		}
		time.Sleep(20 * time.Millisecond)
	}
}
