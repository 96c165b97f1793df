package com.shop;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.microfw.Route;

public class Controller {
    private final Services svc = new Services();

    @Route("/orders")
    public Object orders(Map<String, Object> req) {
        return svc.showOrder((Long) req.get("id"));
    }

    @Route("/invoices")
    public Object invoices(Map<String, Object> req) {
        return svc.showInvoice((Long) req.get("id"));
    }

    @Route("/checkout")
    public Object checkout(Map<String, Object> req) {
        return svc.checkout((String) req.get("cart"), (String) req.get("total"));
    }

    @Route("/refunds")
    public Object refunds(Map<String, Object> req) {
        return svc.refund((Long) req.get("order"), (String) req.get("amount"));
    }

    @Route("/register")
    public Object register(Map<String, Object> req) {
        svc.register((String) req.get("email"));
        return null;
    }

    @Route("/health")
    public Object health(Map<String, Object> req) throws Exception {
        svc.health((Integer) req.get("timeout"));
        return null;
    }

    @Route("/avatar")
    public Object avatar(Map<String, Object> req) {
        return svc.avatarUrl((Long) req.get("user"));
    }

    @Route("/coupon")
    public Object coupon(Map<String, Object> req) {
        return svc.applyCoupon((String) req.get("code"));
    }

    @Route("/stats")
    public Object stats(Map<String, Object> req) {
        return svc.conversionRate((Integer) req.get("visits"), (Integer) req.get("orders"));
    }

    @Route("/slots")
    public Object slots(Map<String, Object> req) {
        List<Integer> s = new ArrayList<>();
        for (int i = 0; i < (Integer) req.get("n"); i++) {
            s.add(i);
        }
        return svc.pickSlot(s, (Integer) req.get("idx"));
    }

    public Services services() {
        return svc;
    }
}
