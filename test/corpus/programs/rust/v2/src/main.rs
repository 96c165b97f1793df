// Rust corpus service. Each request runs on its own named thread; panics are printed by the
// default panic hook (RUST_BACKTRACE=1) to stderr between @@BEGIN/@@END markers, and
// generate.sh turns every block into one JSON event.
use std::collections::HashMap;
use std::thread;

mod repo;
mod service;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn pick<'a>(&mut self, a: &[&'a str]) -> &'a str {
        a[self.below(a.len() as u64) as usize]
    }
    fn uuid(&mut self) -> String {
        let (a, b) = (self.next(), self.next());
        format!("{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}", a >> 32, (a >> 16) & 0xffff, a & 0xfff, 0x8000 | (b >> 48) & 0x3fff, b & 0xffffffffffff)
    }
}

fn main() {
    let deploy: u64 = std::env::args().nth(1).unwrap().parse().unwrap();
    let mut rng = Rng(0x9e3779b97f4a7c15 ^ (1000 + deploy));
    let bugs = [
        "order-not-found", "invoice-not-found", "checkout-invalid-amount", "refund-invalid-amount",
        "register-duplicate-email", "avatar-missing-profile", "coupon-unknown", "stats-zero-visits",
        "slots-index-out-of-range",
    ];
    let mut events: Vec<(String, String, String)> = Vec::new();
    for (i, b) in bugs.iter().enumerate() {
        let n = 8 + (i as u64 * 7 + deploy) % 6;
        for _ in 0..n {
            let arg = match *b {
                "order-not-found" | "invoice-not-found" | "avatar-missing-profile" => (1 + rng.below(999_999)).to_string(),
                "checkout-invalid-amount" | "refund-invalid-amount" => {
                    format!("{}{}", rng.pick(&["12,50", "abc", "1e", "ten", "$5", "--", "9.9.9", "1/2"]), rng.pick(&["", " ", "x", "€"]))
                }
                "register-duplicate-email" => format!("{}.{}@{}", rng.pick(&["alice", "bob", "carol"]), rng.below(9999), rng.pick(&["example.com", "mail.test"])),
                "coupon-unknown" => format!("{}{}", rng.pick(&["SPRING", "bogus'; DROP", "FREE SHIP", "xxxx"]), rng.below(100)),
                "stats-zero-visits" => (1 + rng.below(50)).to_string(),
                _ => format!("{},{}", rng.below(6), 6 + rng.below(35)),
            };
            let thread = format!("{}-worker-{}", rng.pick(&["ingest", "http", "billing"]), 1 + rng.below(32));
            events.push((b.to_string(), arg, thread));
        }
    }
    for i in (1..events.len()).rev() {
        let j = rng.below(i as u64 + 1) as usize;
        events.swap(i, j);
    }
    let svc = std::sync::Arc::new(service::Service::new());
    for (label, arg, tname) in events {
        eprintln!("@@BEGIN {}", label);
        let s = svc.clone();
        let h = thread::Builder::new().name(tname).spawn(move || s.dispatch(&label, &arg)).unwrap();
        let r = h.join();
        eprintln!("@@END {}", if r.is_err() { "panicked" } else { "ok" });
    }
    let _unused: HashMap<u8, u8> = HashMap::new();
}
