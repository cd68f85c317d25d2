package config

import "attache/console"

// DefaultConsoleAddr is where "attache console" listens by default.
const DefaultConsoleAddr = console.DefaultAddr

// DefaultRetentionDays is how long the answer log keeps an entry.
const DefaultRetentionDays = 30

// State says where what the bot remembers outside the index (votes, the
// answer log) is kept when the index driver is sqlite; with postgres it is
// kept in the index database.
type State struct {
	// Dir is the folder of the state database. Load computes one under
	// the user state directory when it is empty (see DefaultStateDir).
	Dir string `mapstructure:"dir"`
}

// Console configures the answer log kept for the bot's operators.
type Console struct {
	// LogQuestions turns the answer log on (off by default).
	LogQuestions bool `mapstructure:"log_questions"`
	// RetentionDays is how many days an entry is kept.
	RetentionDays int `mapstructure:"retention_days"`
	// Salt replaces the random salt, kept in the database, of the hashes
	// of user IDs. A secret.
	Salt string `mapstructure:"salt"`
	// HTTP is the address "attache console" listens on.
	HTTP string `mapstructure:"http"`
	// Token, when set, is required on every console page (as a bearer
	// token or through the login form); it is required when the console
	// listens on an address other than loopback. A secret.
	Token string `mapstructure:"token"`
}
