package vn.tracuu.core.domain;

import java.util.Map;
import org.slf4j.MDC;

/**
 * What a log line is about, as MDC keys a JSON log carries as fields: the node, the operator, the
 * bind and the request id — never a number or an ID. An event loop serves many binds and requests in turn,
 * so the keys are set around one log statement and removed after it, not left on the thread.
 */
public final class LogContext {

    public static final String OPERATOR = "operator";
    public static final String BIND = "bind";
    public static final String REQUEST = "request";
    public static final String NODE = "node";

    // one per JVM: the node every line with a context names
    private static volatile String node = "";

    private LogContext() {}

    /** The node's {@code node.id}, put beside the other keys from now on. */
    public static void nameNode(String nodeId) {
        node = nodeId;
    }

    /** Logs with {@code operator} and {@code bind} (either may be null: left out). */
    public static void bind(String operator, String bind, Runnable log) {
        with(Map.of(OPERATOR, orEmpty(operator), BIND, orEmpty(bind)), log);
    }

    /** Logs with the request's id, and its operator where known (null: left out). */
    public static void request(Object requestId, String operator, Runnable log) {
        with(Map.of(REQUEST, String.valueOf(requestId), OPERATOR, orEmpty(operator)), log);
    }

    private static void with(Map<String, String> keys, Runnable log) {
        keys.forEach((k, v) -> {
            if (!v.isEmpty()) {
                MDC.put(k, v);
            }
        });
        if (!node.isEmpty()) {
            MDC.put(NODE, node);
        }
        try {
            log.run();
        } finally {
            keys.keySet().forEach(MDC::remove);
            MDC.remove(NODE);
        }
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }
}
