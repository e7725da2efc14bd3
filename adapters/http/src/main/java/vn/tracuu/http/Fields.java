package vn.tracuu.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** Strict readers of an untrusted JSON answer: a missing or mistyped field is a {@link MalformedAnswer}. */
final class Fields {

    private Fields() {}

    static String text(JsonObject o, String name) {
        Object v = o.getValue(name);
        if (!(v instanceof String s) || s.isBlank()) {
            throw new MalformedAnswer("field '" + name + "' missing or not a string");
        }
        return s;
    }

    static String optionalText(JsonObject o, String name) {
        Object v = o.getValue(name);
        if (v == null) {
            return null;
        }
        if (!(v instanceof String s)) {
            throw new MalformedAnswer("field '" + name + "' not a string");
        }
        return s;
    }

    static boolean bool(JsonObject o, String name) {
        Object v = o.getValue(name);
        if (!(v instanceof Boolean b)) {
            throw new MalformedAnswer("field '" + name + "' missing or not a boolean");
        }
        return b;
    }

    static Integer optionalInt(JsonObject o, String name) {
        Object v = o.getValue(name);
        if (v == null) {
            return null;
        }
        if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
            throw new MalformedAnswer("field '" + name + "' not a whole number");
        }
        return n.intValue();
    }

    static LocalDate date(JsonObject o, String name) {
        try {
            return LocalDate.parse(text(o, name));
        } catch (DateTimeParseException e) {
            throw new MalformedAnswer("field '" + name + "' not an ISO date");
        }
    }

    static LocalDate optionalDate(JsonObject o, String name) {
        return o.getValue(name) == null ? null : date(o, name);
    }

    static Instant optionalInstant(JsonObject o, String name) {
        String s = optionalText(o, name);
        try {
            return s == null ? null : OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            throw new MalformedAnswer("field '" + name + "' not an ISO date-time with offset");
        }
    }

    static JsonObject object(JsonObject o, String name) {
        Object v = o.getValue(name);
        if (!(v instanceof JsonObject j)) {
            throw new MalformedAnswer("field '" + name + "' missing or not an object");
        }
        return j;
    }

    static JsonArray array(JsonObject o, String name) {
        Object v = o.getValue(name);
        if (!(v instanceof JsonArray a)) {
            throw new MalformedAnswer("field '" + name + "' missing or not an array");
        }
        return a;
    }

    static JsonObject element(JsonArray a, int i, String name) {
        Object v = a.getValue(i);
        if (!(v instanceof JsonObject j)) {
            throw new MalformedAnswer("an element of '" + name + "' is not an object");
        }
        return j;
    }
}
