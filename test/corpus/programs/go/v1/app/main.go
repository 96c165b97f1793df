// Corpus service: every request is served on its own goroutine (like net/http); panics are
// recovered and reported with runtime/debug.Stack() (what dd-trace-go records as error.stack);
// returned errors are reported with debug.Stack() at the reporting site.
package main

import (
	"encoding/json"
	"fmt"
	"math/rand"
	"os"
	"runtime/debug"
	"strconv"
	"sync"
)

var deploy int

type Event struct {
	Runtime      string `json:"runtime"`
	Label        string `json:"label"`
	Deploy       int    `json:"deploy"`
	ErrorType    string `json:"error_type"`
	ErrorMessage string `json:"error_message"`
	ErrorStack   string `json:"error_stack"`
}

var out = json.NewEncoder(os.Stdout)

func emit(label, typ, msg, stack string) {
	out.SetEscapeHTML(false)
	_ = out.Encode(Event{"go", "go/" + label, deploy, typ, msg, stack})
}

type Request struct {
	Path  string
	ID    int
	Str   string
	N     int
	Idx   int
	Items []string
	Label string
}

type Server struct {
	svc *Service
	wg  sync.WaitGroup
}

func (s *Server) reportError(label string, err error) {
	emit(label, fmt.Sprintf("%T", err), err.Error(), string(debug.Stack()))
}

func (s *Server) Serve(req Request) {
	s.wg.Add(1)
	go s.handle(req)
	s.wg.Wait()
}

func (s *Server) handle(req Request) {
	defer s.wg.Done()
	defer func() {
		if r := recover(); r != nil {
			emit(req.Label, fmt.Sprintf("%T", r), fmt.Sprint(r), string(debug.Stack()))
		}
	}()
	s.route(req)
}

func (s *Server) route(req Request) {
	switch req.Path {
	case "/orders":
		s.handleOrders(req)
	case "/invoices":
		s.handleInvoices(req)
	case "/checkout":
		s.handleCheckout(req)
	case "/refunds":
		s.handleRefunds(req)
	case "/register":
		s.handleRegister(req)
	case "/health":
		s.handleHealth(req)
	case "/avatar":
		s.handleAvatar(req)
	case "/coupon":
		s.handleCoupon(req)
	case "/stats":
		s.handleStats(req)
	case "/slots":
		s.handleSlots(req)
	case "/import":
		s.handleImport(req)
	case "/jobs":
		s.handleJobs(req)
	}
}

func (s *Server) handleOrders(req Request) {
	if _, err := s.svc.ShowOrder(req.ID); err != nil {
		s.reportError(req.Label, err)
	}
}

func (s *Server) handleInvoices(req Request) {
	if _, err := s.svc.ShowInvoice(req.ID); err != nil {
		s.reportError(req.Label, err)
	}
}

func (s *Server) handleCheckout(req Request) {
	s.svc.Checkout(req.Str, req.Items[0])
}

func (s *Server) handleRefunds(req Request) {
	s.svc.Refund(req.ID, req.Items[0])
}

func (s *Server) handleRegister(req Request) {
	if err := s.svc.Register(req.Str); err != nil {
		s.reportError(req.Label, err)
	}
}

func (s *Server) handleHealth(req Request) {
	if err := s.svc.Health(req.N); err != nil {
		s.reportError(req.Label, err)
	}
}

func (s *Server) handleAvatar(req Request) {
	s.svc.AvatarURL(req.ID)
}

func (s *Server) handleCoupon(req Request) {
	s.svc.ApplyCoupon(req.Str)
}

func (s *Server) handleStats(req Request) {
	s.svc.ConversionRate(req.N, req.ID)
}

func (s *Server) handleSlots(req Request) {
	s.svc.PickSlot(make([]int, req.N), req.Idx)
}

func (s *Server) handleImport(req Request) {
	s.svc.ImportBatch(req.Items)
}

func (s *Server) handleJobs(req Request) {
	if err := s.svc.ProcessJob(req.Str, req.Items[0]); err != nil {
		s.reportError(req.Label, err)
	}
}

// loadConfig crashes the whole process (uncaught panic): used via "crash" mode.
type Config struct{ values map[string]string }

func loadConfig(path string, c *Config) {
	c.values["path"] = path
}

func main() {
	if os.Args[1] == "crash" {
		loadConfig(os.Args[2], &Config{})
		return
	}
	deploy, _ = strconv.Atoi(os.Args[1])
	rng := rand.New(rand.NewSource(int64(1000 + deploy)))
	pick := func(a []string) string { return a[rng.Intn(len(a))] }
	uuid := func() string {
		b := make([]byte, 16)
		rng.Read(b)
		b[6] = b[6]&0x0f | 0x40
		b[8] = b[8]&0x3f | 0x80
		return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
	}
	email := func() string {
		return fmt.Sprintf("%s.%d@%s", pick([]string{"alice", "bob", "carol", "dave", "erin"}), rng.Intn(9999), pick([]string{"example.com", "mail.test", "corp.example.org"}))
	}
	junk := func() string {
		return pick([]string{"12,50", "abc", "1e", "ten", "$5", "--", "9.9.9", "1/2"}) + pick([]string{"", " ", "x", "€"})
	}
	bugs := []struct {
		label, path string
		mk          func() Request
	}{
		{"order-not-found", "/orders", func() Request { return Request{ID: 1 + rng.Intn(999999)} }},
		{"invoice-not-found", "/invoices", func() Request { return Request{ID: 1 + rng.Intn(999999)} }},
		{"checkout-invalid-amount", "/checkout", func() Request { return Request{Str: uuid(), Items: []string{junk()}} }},
		{"refund-invalid-amount", "/refunds", func() Request { return Request{ID: rng.Intn(999999), Items: []string{junk()}} }},
		{"register-duplicate-email", "/register", func() Request { return Request{Str: email()} }},
		{"health-db-timeout", "/health", func() Request { return Request{N: []int{500, 1000, 2500, 3000}[rng.Intn(4)]} }},
		{"avatar-nil-profile", "/avatar", func() Request { return Request{ID: 1 + rng.Intn(999999)} }},
		{"coupon-unknown", "/coupon", func() Request {
			return Request{Str: pick([]string{"SPRING", "bogus'; DROP", "FREE SHIP", "xxxx", "BF-2024"}) + strconv.Itoa(rng.Intn(100))}
		}},
		{"stats-zero-visits", "/stats", func() Request { return Request{N: 0, ID: 1 + rng.Intn(50)} }},
		{"slots-index-out-of-range", "/slots", func() Request { return Request{N: rng.Intn(6), Idx: 6 + rng.Intn(35)} }},
		{"import-empty-record", "/import", func() Request {
			n := 2 + rng.Intn(5)
			items := make([]string, n)
			for i := range items {
				items[i] = strconv.Itoa(rng.Intn(1000))
			}
			items[rng.Intn(n)] = ""
			return Request{Items: items}
		}},
	}
	var reqs []Request
	for i, b := range bugs {
		n := 8 + (i*7+deploy)%6
		for k := 0; k < n; k++ {
			r := b.mk()
			r.Path, r.Label = b.path, b.label
			reqs = append(reqs, r)
		}
	}
	for k := 0; k < 9+deploy; k++ {
		reqs = append(reqs, Request{Path: "/jobs", Label: "worker-job-failed",
			Str: fmt.Sprintf("%s-worker-%d", pick([]string{"ingest", "mailer", "billing"}), 1+rng.Intn(32)), Items: []string{uuid()}})
	}
	rng.Shuffle(len(reqs), func(i, j int) { reqs[i], reqs[j] = reqs[j], reqs[i] })
	srv := &Server{svc: NewService()}
	// spawn some idle goroutines so goroutine ids vary like in a real server
	for i := 0; i < 3; i++ {
		go func() { select {} }()
	}
	for _, r := range reqs {
		srv.Serve(r)
	}
}
