package org.pgdriver;

import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLTimeoutException;
import java.util.Map;

/** Fake database driver (third-party code). */
public class Connection {
    private final String host;
    private final int port;

    public Connection(String host, int port) {
        this.host = host;
        this.port = port;
    }

    private void check(String sql, Map<String, Object> params) throws SQLException {
        if (params.containsKey("_timeout")) {
            throw new SQLTimeoutException("timeout after " + params.get("_timeout") + "ms connecting to " + host + ":" + port, "08006");
        }
        if (params.containsKey("_dup")) {
            throw new SQLIntegrityConstraintViolationException("duplicate key value violates unique constraint \"users_email_key\"\n  Detail: Key (email)=(" + params.get("email") + ") already exists.", "23505");
        }
    }

    public void execute(String sql, Map<String, Object> params) throws SQLException {
        check(sql, params);
    }
}
