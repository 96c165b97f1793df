use std::collections::HashMap;

pub struct OrderRepo {
    rows: HashMap<u64, String>,
}

impl OrderRepo {
    pub fn new() -> Self {
        OrderRepo { rows: HashMap::new() }
    }

    pub fn find(&self, id: u64) -> &String {
        self.rows.get(&id).unwrap_or_else(|| panic!("record {} not found", id))
    }
}

pub struct InvoiceRepo {
    rows: HashMap<u64, String>,
}

impl InvoiceRepo {
    pub fn new() -> Self {
        InvoiceRepo { rows: HashMap::new() }
    }

    pub fn find(&self, id: u64) -> &String {
        self.rows.get(&id).unwrap_or_else(|| panic!("record {} not found", id))
    }
}

#[derive(Debug)]
pub struct DbError {
    pub code: &'static str,
    pub message: String,
}

pub fn insert_user(email: &str) -> Result<(), DbError> {
    Err(DbError { code: "23505", message: format!("duplicate key value violates unique constraint \"users_email_key\": Key (email)=({}) already exists", email) })
}
