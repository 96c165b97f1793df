// Fake database driver (third-party code).
using System;
using System.Collections.Generic;

namespace PgDriver
{
    public class PostgresException : Exception
    {
        public string SqlState { get; }
        public PostgresException(string message, string sqlState) : base(sqlState + ": " + message) { SqlState = sqlState; }
    }

    public class Connection
    {
        private readonly string host;
        private readonly int port;

        public Connection(string host, int port) { this.host = host; this.port = port; }

        private void Check(IDictionary<string, object> p)
        {
            if (p.ContainsKey("timeout"))
                throw new TimeoutException($"timeout after {p["timeout"]}ms connecting to {host}:{port}");
            if (p.ContainsKey("dup"))
                throw new PostgresException($"duplicate key value violates unique constraint \"users_email_key\"\nDETAIL: Key (email)=({p["email"]}) already exists.", "23505");
        }

        public int Execute(string sql, IDictionary<string, object> p)
        {
            Check(p);
            return 0;
        }
    }
}
