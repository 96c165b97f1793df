package com.shop;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.microfw.App;

/** Corpus service: fires each bug many times and prints one JSON event per line. */
public class Main {
    static int deploy;
    static Random rng;

    static String json(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"': b.append("\\\""); break;
                case '\\': b.append("\\\\"); break;
                case '\n': b.append("\\n"); break;
                case '\r': b.append("\\r"); break;
                case '\t': b.append("\\t"); break;
                default:
                    if (c < 0x20) b.append(String.format("\\u%04x", (int) c)); else b.append(c);
            }
        }
        return b.append('"').toString();
    }

    static void emit(String label, Throwable t) {
        StringWriter sw = new StringWriter();
        t.printStackTrace(new PrintWriter(sw));
        String msg = t.getMessage() == null ? "" : t.getMessage();
        System.out.println("{\"runtime\": \"java\", \"label\": " + json("java/" + label) + ", \"deploy\": " + deploy
                + ", \"error_type\": " + json(t.getClass().getName()) + ", \"error_message\": " + json(msg)
                + ", \"error_stack\": " + json(sw.toString()) + "}");
    }

    static long rid() { return 1 + rng.nextInt(999999); }
    static String uuid() { return new UUID(rng.nextLong(), rng.nextLong()).toString(); }
    static String email() {
        String[] u = {"alice", "bob", "carol", "dave", "erin"};
        String[] d = {"example.com", "mail.test", "corp.example.org"};
        return u[rng.nextInt(u.length)] + "." + rng.nextInt(9999) + "@" + d[rng.nextInt(d.length)];
    }
    static String junk() {
        String[] j = {"12,50", "abc", "1e", "ten", "$5", "--", "9.9.9", "1/2"};
        String[] s = {"", " ", "x", "€"};
        return j[rng.nextInt(j.length)] + s[rng.nextInt(s.length)];
    }
    static String coupon() {
        String[] c = {"SPRING", "bogus'; DROP", "FREE SHIP", "xxxx", "BF-2024"};
        return c[rng.nextInt(c.length)] + rng.nextInt(100);
    }

    static Map<String, Object> req(Object... kv) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }

    static final class Ev {
        final String label;
        final String path;
        final Map<String, Object> req;
        Ev(String label, String path, Map<String, Object> req) {
            this.label = label;
            this.path = path;
            this.req = req;
        }
    }

    public static void main(String[] args) throws Exception {
        deploy = Integer.parseInt(args[0]);
        rng = new Random(1000 + deploy);
        Controller controller = new Controller();
        App app = new App(controller);

        String[] labels = {"order-not-found", "invoice-not-found", "checkout-invalid-amount", "refund-invalid-amount",
            "register-duplicate-email", "health-db-timeout", "avatar-null-profile", "coupon-unknown",
            "stats-zero-visits", "slots-index-out-of-range"};
        String[] paths = {"/orders", "/invoices", "/checkout", "/refunds", "/register", "/health", "/avatar", "/coupon", "/stats", "/slots"};
        List<Supplier<Map<String, Object>>> gens = List.of(
            () -> req("id", rid()),
            () -> req("id", rid()),
            () -> req("cart", uuid(), "total", junk()),
            () -> req("order", rid(), "amount", junk()),
            () -> req("email", email()),
            () -> req("timeout", new int[]{500, 1000, 2500, 3000}[rng.nextInt(4)]),
            () -> req("user", rid()),
            () -> req("code", coupon()),
            () -> req("visits", 0, "orders", 1 + rng.nextInt(50)),
            () -> req("n", rng.nextInt(6), "idx", 6 + rng.nextInt(35)));
        List<Ev> events = new ArrayList<>();
        for (int i = 0; i < labels.length; i++) {
            int n = 8 + (i * 7 + deploy) % 6;
            for (int k = 0; k < n; k++) events.add(new Ev(labels[i], paths[i], gens.get(i).get()));
        }
        for (int k = 0; k < 9 + deploy; k++) events.add(new Ev("worker-job-failed", null, req("job", uuid())));
        Collections.shuffle(events, rng);

        AtomicInteger tn = new AtomicInteger();
        String[] pools = {"ingest", "mailer", "billing"};
        ExecutorService pool = Executors.newFixedThreadPool(3,
            r -> new Thread(r, pools[tn.get() % 3] + "-worker-" + (tn.incrementAndGet() * 7 % 31)));
        for (Ev e : events) {
            if (e.path == null) {
                Future<?> f = pool.submit(() -> controller.services().processJob((String) e.req.get("job")));
                try {
                    f.get();
                } catch (ExecutionException ex) {
                    emit(e.label, ex);
                }
                continue;
            }
            try {
                app.dispatch(e.path, e.req);
                throw new IllegalStateException("bug did not fire: " + e.label);
            } catch (IllegalStateException ex) {
                throw ex;
            } catch (Throwable t) {
                emit(e.label, t);
            }
        }
        pool.shutdown();
    }
}
