package com.shop;

import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import org.pgdriver.Connection;

public class Repositories {
    static final Connection DB = new Connection("10.20.0.5", 5432);

    public static class OrderRepository {
        private final Map<Long, Object> orders = new HashMap<>();

        public Object find(long id) {
            Object o = orders.get(id);
            if (o == null) {
                throw new NotFoundException("record " + id + " not found");
            }
            return o;
        }
    }

    public static class InvoiceRepository {
        private final Map<Long, Object> invoices = new HashMap<>();

        public Object find(long id) {
            Object o = invoices.get(id);
            if (o == null) {
                throw new NotFoundException("record " + id + " not found");
            }
            return o;
        }
    }

    public static class UserRepository {
        public void insert(String email) throws SQLException {
            Map<String, Object> p = new HashMap<>();
            p.put("email", email);
            p.put("_dup", true);
            DB.execute("INSERT INTO users(email) VALUES ($1)", p);
        }

        public void ping(int timeoutMs) throws SQLException {
            Map<String, Object> p = new HashMap<>();
            p.put("_timeout", timeoutMs);
            DB.execute("SELECT 1", p);
        }
    }
}
