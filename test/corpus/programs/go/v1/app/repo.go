package main

import "fmt"

type OrderRepo struct{ rows map[int]string }

func (r *OrderRepo) Find(id int) (string, error) {
	if row, ok := r.rows[id]; ok {
		return row, nil
	}
	return "", fmt.Errorf("record %d not found: %w", id, ErrNotFound)
}

type InvoiceRepo struct{ rows map[int]string }

func (r *InvoiceRepo) Find(id int) (string, error) {
	if row, ok := r.rows[id]; ok {
		return row, nil
	}
	return "", fmt.Errorf("record %d not found: %w", id, ErrNotFound)
}

type UserRepo struct{ host string }

func (r *UserRepo) Insert(email string) error {
	err := &PgError{Code: "23505", Message: fmt.Sprintf("duplicate key value violates unique constraint \"users_email_key\": Key (email)=(%s) already exists", email)}
	return fmt.Errorf("insert user: %w", err)
}

func (r *UserRepo) Ping(timeoutMs int) error {
	return fmt.Errorf("ping: timeout after %dms connecting to %s", timeoutMs, r.host)
}
