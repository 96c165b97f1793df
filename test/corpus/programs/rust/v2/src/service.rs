use std::collections::HashMap;

use crate::repo::{self, InvoiceRepo, OrderRepo};

// v2: feature flags (unrelated to the bugs); shifts every line below.
pub fn feature_enabled(name: &str) -> bool {
    matches!(name, "new_checkout")
}

pub struct Profile {
    pub avatar: String,
}

pub struct Service {
    orders: OrderRepo,
    invoices: InvoiceRepo,
    profiles: HashMap<u64, Profile>,
    coupons: HashMap<String, u32>,
}

/// Shared helper used by checkout and refund.
fn parse_amount(raw: &str) -> f64 {
    raw.parse::<f64>().expect("invalid amount")
}

impl Service {
    pub fn new() -> Self {
        let mut coupons = HashMap::new();
        coupons.insert("WELCOME10".to_string(), 10);
        Service { orders: OrderRepo::new(), invoices: InvoiceRepo::new(), profiles: HashMap::new(), coupons }
    }

    fn show_order(&self, id: u64) -> usize {
        self.orders.find(id).len()
    }

    fn show_invoice(&self, id: u64) -> usize {
        self.invoices.find(id).len()
    }

    fn checkout(&self, raw: &str) -> f64 {
        self.cart_total(raw) * 1.2
    }

    // v2: pass-through helper inserted in the call path
    #[inline(never)]
    fn cart_total(&self, raw: &str) -> f64 {
        parse_amount(raw)
    }

    fn refund(&self, raw: &str) -> f64 {
        -parse_amount(raw)
    }

    fn register(&self, email: &str) {
        repo::insert_user(email).unwrap();
    }

    fn avatar_url(&self, user: u64) -> String {
        self.profiles.get(&user).map(|p| p.avatar.clone()).unwrap()
    }

    fn apply_coupon(&self, code: &str) -> u32 {
        let lookup = |c: &str| -> u32 {
            match self.coupons.get(c) {
                Some(p) => *p,
                None => panic!("unknown coupon code {:?}", c),
            }
        };
        lookup(code)
    }

    fn conversion_rate(&self, visits: u32, orders: u32) -> u32 {
        orders * 100 / visits
    }

    fn pick_slot(&self, slots: &[u32], idx: usize) -> u32 {
        slots[idx]
    }

    pub fn dispatch(&self, label: &str, arg: &str) {
        match label {
            "order-not-found" => drop(self.show_order(arg.parse().unwrap())),
            "invoice-not-found" => drop(self.show_invoice(arg.parse().unwrap())),
            "checkout-invalid-amount" => drop(self.checkout(arg)),
            "refund-invalid-amount" => drop(self.refund(arg)),
            "register-duplicate-email" => self.register(arg),
            "avatar-missing-profile" => drop(self.avatar_url(arg.parse().unwrap())),
            "coupon-unknown" => drop(self.apply_coupon(arg)),
            "stats-zero-visits" => {
                let visits: u32 = std::hint::black_box(0);
                drop(self.conversion_rate(visits, arg.parse().unwrap()))
            }
            _ => {
                let (n, i) = arg.split_once(',').unwrap();
                let v = vec![0u32; n.parse().unwrap()];
                drop(self.pick_slot(&v, i.parse().unwrap()))
            }
        }
    }
}
