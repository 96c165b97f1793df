package main

import (
	"errors"
	"fmt"
)

var ErrNotFound = errors.New("not found")

type PgError struct {
	Code    string
	Message string
}

func (e *PgError) Error() string { return fmt.Sprintf("pq: %s (SQLSTATE %s)", e.Message, e.Code) }
