using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using PgDriver;

namespace Shop
{
    public class NotFoundException : Exception
    {
        public NotFoundException(string message) : base(message) { }
    }

    public class RegistrationException : Exception
    {
        public RegistrationException(string message, Exception inner) : base(message, inner) { }
    }

    public class WorkerFailureException : Exception
    {
        public WorkerFailureException(string message) : base(message) { }
    }

    public static class Money
    {
        // Shared helper used by Checkout and Refund.
        public static decimal ParseAmount(string raw)
        {
            try
            {
                return decimal.Parse(raw, NumberStyles.Number, CultureInfo.InvariantCulture);
            }
            catch (FormatException e)
            {
                throw new ArgumentException($"invalid amount '{raw}'", e);
            }
        }
    }

    public class OrderRepository
    {
        private readonly Dictionary<long, string> rows = new Dictionary<long, string>();

        public async Task<string> FindAsync(long id)
        {
            await Task.Yield();
            string row;
            if (!rows.TryGetValue(id, out row)) throw new NotFoundException($"record {id} not found");
            return row;
        }
    }

    public class InvoiceRepository
    {
        private readonly Dictionary<long, string> rows = new Dictionary<long, string>();

        public async Task<string> FindAsync(long id)
        {
            await Task.Yield();
            string row;
            if (!rows.TryGetValue(id, out row)) throw new NotFoundException($"record {id} not found");
            return row;
        }
    }

    public class UserRepository
    {
        private static readonly Connection Db = new Connection("10.20.0.5", 5432);

        public void Insert(string email) => Db.Execute("INSERT INTO users(email) VALUES (@email)", new Dictionary<string, object> { { "email", email }, { "dup", true } });

        public void Ping(int timeoutMs) => Db.Execute("SELECT 1", new Dictionary<string, object> { { "timeout", timeoutMs } });
    }

    public class Profile
    {
        public string Avatar;
    }

    public class ShopService
    {
        private readonly OrderRepository orders = new OrderRepository();
        private readonly InvoiceRepository invoices = new InvoiceRepository();
        private readonly UserRepository users = new UserRepository();
        private readonly Dictionary<long, Profile> profiles = new Dictionary<long, Profile>();
        private readonly Dictionary<string, int> coupons = new Dictionary<string, int> { { "WELCOME10", 10 } };

        public async Task<string> ShowOrderAsync(long id) => await orders.FindAsync(id);

        public async Task<string> ShowInvoiceAsync(long id) => await invoices.FindAsync(id);

        public decimal Checkout(string cart, string rawTotal) => Money.ParseAmount(rawTotal);

        public decimal Refund(long order, string rawAmount) => Money.ParseAmount(rawAmount);

        public void Register(string email)
        {
            try
            {
                users.Insert(email);
            }
            catch (PostgresException e)
            {
                throw new RegistrationException($"cannot register {email}", e);
            }
        }

        public void Health(int timeoutMs) => users.Ping(timeoutMs);

        public string AvatarUrl(long user)
        {
            profiles.TryGetValue(user, out var p);
            return p.Avatar;
        }

        public int ApplyCoupon(string code)
        {
            Func<string, int> lookup = c =>
            {
                if (!coupons.TryGetValue(c, out var pct)) throw new KeyNotFoundException($"unknown coupon code \"{c}\"");
                return pct;
            };
            return lookup(code);
        }

        public int ConversionRate(int visits, int ordersCount) => ordersCount * 100 / visits;

        public int PickSlot(List<int> slots, int idx) => slots[idx];

        public void ProcessJob(string job)
        {
            throw new WorkerFailureException($"worker {Thread.CurrentThread.Name} failed to process job {job}");
        }
    }
}
