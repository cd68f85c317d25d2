package fakediscord

import "testing"

// opReconnect asks a gateway client to reconnect and resume its session.
const opReconnect = 7

// RequestReconnect sends RECONNECT (op 7) to every identified client, as
// Discord does before it moves a session: the client closes the connection
// and resumes on a new one. It fails the test if no client is connected.
func (s *Server) RequestReconnect(t testing.TB) {
	t.Helper()
	sent := 0
	for _, c := range s.connections() {
		if c.write(opReconnect, "", nil) == nil {
			sent++
		}
	}
	if sent == 0 {
		t.Fatal("fakediscord: RequestReconnect: no gateway client is connected")
	}
}
