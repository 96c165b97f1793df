package com.shop;

import java.math.BigDecimal;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

public class Services {
    public static class Profile {
        private final String avatar;

        public Profile(String avatar) {
            this.avatar = avatar;
        }

        public String getAvatar() {
            return avatar;
        }
    }

    private final Repositories.OrderRepository orders = new Repositories.OrderRepository();
    private final Repositories.InvoiceRepository invoices = new Repositories.InvoiceRepository();
    private final Repositories.UserRepository users = new Repositories.UserRepository();
    private final Map<Long, Profile> profiles = new HashMap<>();
    private final Map<String, Integer> coupons = Map.of("WELCOME10", 10);

    public Object showOrder(long id) {
        return orders.find(id);
    }

    public Object showInvoice(long id) {
        return invoices.find(id);
    }

    public BigDecimal checkout(String cartId, String rawTotal) {
        return Money.parseAmount(rawTotal);
    }

    public BigDecimal refund(long orderId, String rawAmount) {
        return Money.parseAmount(rawAmount);
    }

    public void register(String email) {
        try {
            users.insert(email);
        } catch (SQLException e) {
            throw new RegistrationException("cannot register " + email, e);
        }
    }

    public void health(int timeoutMs) throws SQLException {
        users.ping(timeoutMs);
    }

    public String avatarUrl(long userId) {
        Profile profile = profiles.get(userId);
        return profile.getAvatar();
    }

    public int applyCoupon(String code) {
        return Optional.ofNullable(coupons.get(code))
                .orElseThrow(() -> new IllegalArgumentException("unknown coupon code \"" + code + "\""));
    }

    public int conversionRate(int visits, int ordersCount) {
        return ordersCount * 100 / visits;
    }

    public int pickSlot(List<Integer> slots, int idx) {
        return slots.get(idx);
    }

    public void processJob(String jobId) {
        String name = Thread.currentThread().getName();
        throw new WorkerFailure("worker " + name + " failed to process job " + jobId);
    }
}
