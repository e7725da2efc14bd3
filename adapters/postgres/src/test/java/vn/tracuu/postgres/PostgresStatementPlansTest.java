package vn.tracuu.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every statement of the PostgreSQL adapters, planned on a new install's empty, analyzed tables,
 * reads the rows it is about by key. The gateway's pool keeps such a plan (a generic one, made
 * at first use) as the tables grow; a scan that looked free on an empty table then reads a
 * whole table or index, once per batch.
 */
class PostgresStatementPlansTest {

    private static final List<Class<?>> ADAPTERS = List.of(
            PostgresRequestStore.class,
            PostgresAuditLog.class,
            PostgresPolicyStore.class,
            PostgresPopulationDirectory.class,
            PostgresSubscriberRegistry.class);
    private static final Pattern SQL = Pattern.compile("^(WITH|SELECT|INSERT|UPDATE|DELETE)\\b");

    // the scans that read all of something on purpose, and why
    private static final Map<String, List<String>> MEANT = Map.of(
            // the outbox's depth and age, and its expired replies: the due replies' partial index is the outbox
            "PostgresRequestStore.OUTBOX_STATE", List.of("Index Scan using reply_due on reply"),
            // and the retransmission keys past their window: the table holds about a window's traffic
            // (seconds of it), and an index on the expiry would cost every accept one more index write
            "PostgresRequestStore.EXPIRE", List.of("Seq Scan on retransmission", "Index Scan using reply_due on reply"),
            // the hourly clean-up of old counters and lockouts: no index fits, and it runs once an hour
            "PostgresPolicyStore.FORGET", List.of("Seq Scan on counter", "Seq Scan on lockout"),
            // the hourly retention: the oldest requests first, by key, until a batch is full
            "PostgresRequestStore.PURGE", List.of("Index Scan using request_pkey on request"));

    @Test
    void everyStatementPlannedOnEmptyTablesReadsItsRowsByKey() throws Exception {
        Map<String, String> statements = statements();
        assertTrue(statements.size() >= 20, "statements found: " + statements.keySet());
        List<String> plans = GenericPlan.onEmptyTables(statements.values().toArray(String[]::new));
        List<String> names = new ArrayList<>(statements.keySet());
        Map<String, List<String>> unmeant = new LinkedHashMap<>();
        StringBuilder shown = new StringBuilder();
        for (int i = 0; i < names.size(); i++) {
            List<String> unbounded = GenericPlan.unboundedScans(plans.get(i));
            if (!unbounded.equals(MEANT.getOrDefault(names.get(i), List.of()))) {
                unmeant.put(names.get(i), unbounded);
                shown.append(names.get(i)).append('\n').append(plans.get(i));
            }
        }
        assertEquals(Map.of(), unmeant, shown.toString());
    }

    private static Map<String, String> statements() throws IllegalAccessException {
        Map<String, String> statements = new LinkedHashMap<>();
        for (Class<?> adapter : ADAPTERS) {
            for (Field f : adapter.getDeclaredFields()) {
                if (f.getType() == String.class && Modifier.isStatic(f.getModifiers())) {
                    f.setAccessible(true);
                    String sql = (String) f.get(null);
                    if (SQL.matcher(sql).find()) {
                        statements.put(adapter.getSimpleName() + "." + f.getName(), sql);
                    }
                }
            }
        }
        return statements;
    }
}
