package vn.tracuu.postgres;

import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The generic plan PostgreSQL makes for a statement, as {@code EXPLAIN (GENERIC_PLAN)} prints it:
 * the plan the gateway's connections keep, whatever parameters come later.
 */
final class GenericPlan {

    private static final Pattern SCAN =
            Pattern.compile("(Seq Scan|Index Scan|Index Only Scan|Index Scan Backward) (?:using (\\S+) )?on (\\S+)");

    private GenericPlan() {}

    static String of(SqlClient client, String sql) throws Exception {
        StringBuilder plan = new StringBuilder();
        for (Row r : client.query("EXPLAIN (GENERIC_PLAN) " + sql).execute().await(5, TimeUnit.SECONDS)) {
            plan.append(r.getString(0)).append('\n');
        }
        return plan.toString();
    }

    /**
     * The plans of statements on a pool connection in a new, migrated database whose tables were
     * analyzed while empty, as on a new install: each connection keeps such a plan as the tables
     * grow, until an analysis happens to invalidate it. Planned as the login, which may run the
     * admin commands' statements too, on connections set up as the gateway's.
     */
    static List<String> onEmptyTables(String... statements) throws Exception {
        try (TestDatabase empty = TestDatabase.start()) {
            try (Connection c = empty.jdbc();
                    Statement s = c.createStatement()) {
                s.execute("VACUUM ANALYZE");
            }
            PostgresDatabase login =
                    PostgresDatabase.open(empty.vertx(), empty.options().asLogin());
            try {
                List<String> plans = new ArrayList<>();
                for (String sql : statements) {
                    plans.add(of(login.pool(), sql));
                }
                return plans;
            } finally {
                login.close().await(5, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * The scans in a plan that read a whole table or index, not rows by a key condition, as
     * "Index Scan using reply_pkey on reply". On a table planned as empty they look as cheap as a
     * key lookup; once it holds a day of traffic, they read all of it.
     */
    static List<String> unboundedScans(String plan) {
        List<String> unbounded = new ArrayList<>();
        String[] lines = plan.split("\n");
        for (int i = 0; i < lines.length; i++) {
            Matcher scan = SCAN.matcher(lines[i]);
            if (!scan.find()) {
                continue;
            }
            boolean keyed = false;
            // a node's conditions follow its line, before its first child or the next node
            for (int j = i + 1;
                    j < lines.length
                            && !lines[j].contains("->")
                            && !lines[j].trim().startsWith("CTE ")
                            && !lines[j].trim().startsWith("InitPlan")
                            && !lines[j].trim().startsWith("SubPlan");
                    j++) {
                keyed |= lines[j].contains("Index Cond:");
            }
            if (!keyed) {
                unbounded.add(scan.group());
            }
        }
        return unbounded;
    }
}
