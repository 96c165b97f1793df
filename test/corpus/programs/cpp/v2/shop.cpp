// C++ corpus service. Usage: shop <bug> <arg> | shop batch <deploy>
// Crash bugs are run under gdb (bt), the ASan bug under an -fsanitize=address build, and the
// "batch" mode reports caught exceptions with boost::stacktrace (libbacktrace backend; one JSON line each).
#include <boost/stacktrace.hpp>
#include <cassert>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

namespace shop {

// v2: feature flags (unrelated to the bugs); shifts every line below.
static const std::map<std::string, bool> kFlags{{"new_checkout", true}};

bool feature_enabled(const std::string& name) {
    auto it = kFlags.find(name);
    return it != kFlags.end() && it->second;
}

struct Order {
    long id;
    std::string email;
};

struct OrderRepo {
    std::map<long, Order*> rows;
    std::size_t email_len(long id) { return rows[id]->email.size(); }
};

struct InvoiceRepo {
    std::map<long, Order*> rows;
    std::size_t email_len(long id) { return rows[id]->email.size(); }
};

// shared helper used by checkout and refund
long parse_amount_cents(const std::string& raw) {
    char* end = nullptr;
    long v = std::strtol(raw.c_str(), &end, 10);
    assert(end != raw.c_str() && *end == '\0' && "amount must be an integer");
    return v;
}

// v2: pass-through helper inserted in the call path
static long cart_total_cents(const std::string& raw) { return parse_amount_cents(raw); }

long checkout(const std::string& raw) { return cart_total_cents(raw) + 1; }
long refund(const std::string& raw) { return -parse_amount_cents(raw); }

int conversion_rate(int visits, int orders) { return orders * 100 / visits; }

void register_user(const std::string& email) {
    throw std::runtime_error("cannot register " + email + ": duplicate key value violates unique constraint \"users_email_key\"");
}

struct Session {
    long user_id;
    int ttl;
};

int session_ttl(int n) {
    Session* s = new Session{n, 3600};
    delete s;
    return s->ttl;  // heap-use-after-free
}

static std::string json(const std::string& s) {
    std::string o = "\"";
    for (char c : s) {
        switch (c) {
            case '"': o += "\\\""; break;
            case '\\': o += "\\\\"; break;
            case '\n': o += "\\n"; break;
            case '\t': o += "\\t"; break;
            default:
                if (static_cast<unsigned char>(c) < 0x20) {
                    char b[8];
                    std::snprintf(b, sizeof b, "\\u%04x", c);
                    o += b;
                } else {
                    o += c;
                }
        }
    }
    return o + "\"";
}

static int g_deploy = 0;

void report(const std::string& label, const std::string& type, const std::string& msg, const boost::stacktrace::stacktrace& st) {
    std::printf("{\"runtime\": \"cpp\", \"label\": %s, \"deploy\": %d, \"error_type\": %s, \"error_message\": %s, \"error_stack\": %s}\n",
                json("cpp/" + label).c_str(), g_deploy, json(type).c_str(), json(msg).c_str(),
                json(boost::stacktrace::to_string(st)).c_str());
}

int apply_coupon(const std::map<std::string, int>& coupons, const std::string& code) {
    auto it = coupons.find(code);
    if (it == coupons.end()) {
        std::string msg = "unknown coupon code \"" + code + "\"";
        report("coupon-unknown", "std::out_of_range", msg, boost::stacktrace::stacktrace());
        throw std::out_of_range(msg);
    }
    return it->second;
}

int pick_slot(const std::vector<int>& slots, std::size_t idx) { return slots.at(idx); }

void handle_slots(std::size_t n, std::size_t idx) {
    try {
        pick_slot(std::vector<int>(n), idx);
    } catch (const std::out_of_range& e) {
        report("slots-index-out-of-range", "std::out_of_range", e.what(), boost::stacktrace::stacktrace());
    }
}

void batch(int deploy) {
    g_deploy = deploy;
    std::mt19937 rng(1000 + deploy);
    std::map<std::string, int> coupons{{"WELCOME10", 10}};
    const char* codes[] = {"SPRING", "bogus'; DROP", "FREE SHIP", "xxxx", "BF-2024"};
    for (int k = 0; k < 9 + deploy; k++) {
        try {
            apply_coupon(coupons, std::string(codes[rng() % 5]) + std::to_string(rng() % 100));
        } catch (const std::out_of_range&) {
        }
    }
    for (int k = 0; k < 10 + deploy; k++) handle_slots(rng() % 6, 6 + rng() % 35);
}

}  // namespace shop

int main(int argc, char** argv) {
    std::string bug = argv[1];
    std::string arg = argc > 2 ? argv[2] : "";
    if (bug == "order-null-deref") {
        shop::OrderRepo r;
        std::printf("%zu\n", r.email_len(std::atol(arg.c_str())));
    } else if (bug == "invoice-null-deref") {
        shop::InvoiceRepo r;
        std::printf("%zu\n", r.email_len(std::atol(arg.c_str())));
    } else if (bug == "checkout-invalid-amount") {
        std::printf("%ld\n", shop::checkout(arg));
    } else if (bug == "refund-invalid-amount") {
        std::printf("%ld\n", shop::refund(arg));
    } else if (bug == "stats-zero-visits") {
        std::printf("%d\n", shop::conversion_rate(0, std::atoi(arg.c_str())));
    } else if (bug == "register-duplicate-email") {
        shop::register_user(arg);
    } else if (bug == "session-use-after-free") {
        std::printf("%d\n", shop::session_ttl(std::atoi(arg.c_str())));
    } else if (bug == "batch") {
        shop::batch(std::atoi(arg.c_str()));
    }
    return 0;
}
