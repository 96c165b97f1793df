package main

import (
	"fmt"
	"strconv"

	"example.com/fakelib"
)

// v2: feature flags (unrelated to the bugs); shifts every line below.
var featureFlags = map[string]bool{"new_checkout": true}

func FeatureEnabled(name string) bool {
	return featureFlags[name]
}

type Profile struct{ Avatar string }

type Service struct {
	orders   *OrderRepo
	invoices *InvoiceRepo
	users    *UserRepo
	profiles map[int]*Profile
	coupons  map[string]int
}

func NewService() *Service {
	return &Service{
		orders:   &OrderRepo{rows: map[int]string{}},
		invoices: &InvoiceRepo{rows: map[int]string{}},
		users:    &UserRepo{host: "10.20.0.5:5432"},
		profiles: map[int]*Profile{},
		coupons:  map[string]int{"WELCOME10": 10},
	}
}

// mustParseAmount is a shared helper used by Checkout and Refund.
func mustParseAmount(raw string) float64 {
	v, err := strconv.ParseFloat(raw, 64)
	if err != nil {
		panic(fmt.Errorf("invalid amount %q: %w", raw, err))
	}
	return v
}

func (s *Service) ShowOrder(id int) (string, error) {
	return s.orders.Find(id)
}

func (s *Service) ShowInvoice(id int) (string, error) {
	return s.invoices.Find(id)
}

func (s *Service) Checkout(cart string, raw string) float64 {
	return s.cartTotal(raw)
}

// v2: pass-through helper inserted in the call path
func (s *Service) cartTotal(raw string) float64 {
	return mustParseAmount(raw)
}

func (s *Service) Refund(order int, raw string) float64 {
	return mustParseAmount(raw)
}

func (s *Service) Register(email string) error {
	if err := s.users.Insert(email); err != nil {
		return fmt.Errorf("cannot register %s: %w", email, err)
	}
	return nil
}

func (s *Service) Health(timeoutMs int) error {
	return s.users.Ping(timeoutMs)
}

func (s *Service) AvatarURL(user int) string {
	p := s.profiles[user]
	return p.Avatar
}

func (s *Service) ApplyCoupon(code string) int {
	lookup := func() int {
		pct, ok := s.coupons[code]
		if !ok {
			panic(fmt.Sprintf("unknown coupon code %q", code))
		}
		return pct
	}
	return lookup()
}

func (s *Service) ConversionRate(visits, orders int) int {
	return orders * 100 / visits
}

func (s *Service) PickSlot(slots []int, idx int) int {
	return slots[idx]
}

func (s *Service) ImportBatch(records []string) int {
	return fakelib.Decode(records, func(r string) int { return len(r) })
}

func (s *Service) ProcessJob(worker, job string) error {
	return fmt.Errorf("worker %s failed to process job %s", worker, job)
}
