package attache

import (
	"errors"
	"fmt"
)

// Error codes. Errors are classified once, at the edge, by ErrorCode.
const (
	EINVALID     = "invalid"     // bad input from the user or the config
	ENOTFOUND    = "not_found"   // a named thing does not exist
	EUNAVAILABLE = "unavailable" // a dependency (model, Discord, database) cannot be reached
	EINTERNAL    = "internal"    // anything else; details are logged, not shown
)

// Error is an application error with a code and a message that is safe to show
// to a user. Wrap it with fmt.Errorf("...: %w", err) to add context for logs.
type Error struct {
	Code    string
	Message string
}

// Error returns the message alone: the code classifies the error for the
// program (exit codes, what the bot shows) and is no part of its text.
func (e *Error) Error() string { return e.Message }

// Errorf returns an *Error with the given code and formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL for
// any other non-nil error, and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the safe message of the first *Error in err's chain, or
// a generic message for anything else, so internals never reach a user.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "internal error"
}
