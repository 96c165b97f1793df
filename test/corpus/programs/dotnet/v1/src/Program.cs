// Corpus service: fires each bug many times and prints one JSON event per line
// (error_stack = Exception.ToString()).
using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Shop
{
    public class Request : Dictionary<string, object> { }

    public class Bug
    {
        public string label, path;
        public Func<Request> mk;
        public Bug(string l, string p, Func<Request> m) { label = l; path = p; mk = m; }
    }

    public class Ev
    {
        public string label, path;
        public Request req;
        public Ev(string l, string p, Request r) { label = l; path = p; req = r; }
    }

    public static class Program
    {
        static int deploy;
        static Random rng;

        static string J(string s)
        {
            var b = new StringBuilder("\"");
            foreach (var c in s)
            {
                switch (c)
                {
                    case '"': b.Append("\\\""); break;
                    case '\\': b.Append("\\\\"); break;
                    case '\n': b.Append("\\n"); break;
                    case '\r': b.Append("\\r"); break;
                    case '\t': b.Append("\\t"); break;
                    default:
                        if (c < 0x20) b.AppendFormat("\\u{0:x4}", (int)c); else b.Append(c);
                        break;
                }
            }
            return b.Append('"').ToString();
        }

        static void Emit(string label, Exception e)
        {
            Console.Out.Write("{\"runtime\": \"dotnet\", \"label\": " + J("dotnet/" + label) + ", \"deploy\": " + deploy +
                ", \"error_type\": " + J(e.GetType().FullName) + ", \"error_message\": " + J(e.Message) +
                ", \"error_stack\": " + J(e.ToString()) + "}\n");
        }

        static long Rid() => rng.Next(1, 999999);
        static string Pick(string[] a) => a[rng.Next(a.Length)];
        static string Uuid()
        {
            var b = new byte[16];
            rng.NextBytes(b);
            return new Guid(b).ToString();
        }
        static string Email() => $"{Pick(new[] { "alice", "bob", "carol", "dave", "erin" })}.{rng.Next(9999)}@{Pick(new[] { "example.com", "mail.test", "corp.example.org" })}";
        static string Junk() => Pick(new[] { "12,50", "abc", "1e", "ten", "$5", "--", "9.9.9", "1/2" }) + Pick(new[] { "", " ", "x", "€" });

        static Request R(params object[] kv)
        {
            var r = new Request();
            for (int i = 0; i < kv.Length; i += 2) r[(string)kv[i]] = kv[i + 1];
            return r;
        }

        public static void Main(string[] args)
        {
            deploy = int.Parse(args[0]);
            rng = new Random(1000 + deploy);
            Console.OutputEncoding = new UTF8Encoding(false);
            var svc = new ShopService();
            var routes = new Dictionary<string, Func<Request, object>>
            {
                ["/orders"] = r => svc.ShowOrderAsync((long)r["id"]).GetAwaiter().GetResult(),
                ["/invoices"] = r => svc.ShowInvoiceAsync((long)r["id"]).GetAwaiter().GetResult(),
                ["/checkout"] = r => svc.Checkout((string)r["cart"], (string)r["total"]),
                ["/refunds"] = r => svc.Refund((long)r["order"], (string)r["amount"]),
                ["/register"] = r => { svc.Register((string)r["email"]); return null; },
                ["/health"] = r => { svc.Health((int)r["timeout"]); return null; },
                ["/avatar"] = r => svc.AvatarUrl((long)r["user"]),
                ["/coupon"] = r => svc.ApplyCoupon((string)r["code"]),
                ["/stats"] = r => svc.ConversionRate((int)r["visits"], (int)r["orders"]),
                ["/slots"] = r => svc.PickSlot(Enumerable.Range(0, (int)r["n"]).ToList(), (int)r["idx"]),
            };
            var bugs = new List<Bug>
            {
                new Bug("order-not-found", "/orders", () => R("id", Rid())),
                new Bug("invoice-not-found", "/invoices", () => R("id", Rid())),
                new Bug("checkout-invalid-amount", "/checkout", () => R("cart", Uuid(), "total", Junk())),
                new Bug("refund-invalid-amount", "/refunds", () => R("order", Rid(), "amount", Junk())),
                new Bug("register-duplicate-email", "/register", () => R("email", Email())),
                new Bug("health-db-timeout", "/health", () => R("timeout", new[] { 500, 1000, 2500, 3000 }[rng.Next(4)])),
                new Bug("avatar-null-profile", "/avatar", () => R("user", Rid())),
                new Bug("coupon-unknown", "/coupon", () => R("code", Pick(new[] { "SPRING", "bogus'; DROP", "FREE SHIP", "xxxx", "BF-2024" }) + rng.Next(100))),
                new Bug("stats-zero-visits", "/stats", () => R("visits", 0, "orders", rng.Next(1, 50))),
                new Bug("slots-index-out-of-range", "/slots", () => R("n", rng.Next(6), "idx", rng.Next(6, 40))),
            };
            var events = new List<Ev>();
            for (int i = 0; i < bugs.Count; i++)
            {
                int n = 8 + (i * 7 + deploy) % 6;
                for (int k = 0; k < n; k++) events.Add(new Ev(bugs[i].label, bugs[i].path, bugs[i].mk()));
            }
            for (int k = 0; k < 9 + deploy; k++)
                events.Add(new Ev("worker-job-failed", null, R("thread", $"{Pick(new[] { "ingest", "mailer", "billing" })}-worker-{rng.Next(1, 32)}", "job", Uuid())));
            for (int i = events.Count - 1; i > 0; i--)
            {
                int j = rng.Next(i + 1);
                var t = events[i]; events[i] = events[j]; events[j] = t;
            }
            foreach (var ev in events)
            {
                if (ev.path == null)
                {
                    Exception caught = null;
                    var th = new Thread(() =>
                    {
                        try { svc.ProcessJob((string)ev.req["job"]); }
                        catch (Exception e) { caught = e; }
                    });
                    th.Name = (string)ev.req["thread"];
                    th.Start();
                    th.Join();
                    Emit(ev.label, caught);
                    continue;
                }
                try
                {
                    Dispatch(routes, ev.path, ev.req);
                }
                catch (Exception e)
                {
                    Emit(ev.label, e);
                    continue;
                }
                throw new Exception("bug did not fire: " + ev.label);
            }
        }

        static object Dispatch(Dictionary<string, Func<Request, object>> routes, string path, Request req) => routes[path](req);
    }
}
