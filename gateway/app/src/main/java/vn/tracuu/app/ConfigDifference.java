package vn.tracuu.app;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import vn.tracuu.app.config.GatewayConfig;

/** Which sections of two configurations differ, beyond the operators that a reload applies. */
final class ConfigDifference {

    private ConfigDifference() {}

    static List<String> besidesOperators(GatewayConfig running, GatewayConfig next) {
        List<String> differ = new ArrayList<>();
        for (RecordComponent section : GatewayConfig.class.getRecordComponents()) {
            Object was = value(section, running);
            Object now = value(section, next);
            if (section.getName().equals("smpp")) {
                for (RecordComponent key : was.getClass().getRecordComponents()) {
                    if (!key.getName().equals("operators") && !Objects.equals(value(key, was), value(key, now))) {
                        differ.add("smpp." + key.getName());
                    }
                }
            } else if (!Objects.equals(was, now)) {
                differ.add(section.getName());
            }
        }
        if (next.smpp().asksClientCertificates() && !running.smpp().asksClientCertificates()) {
            // the TLS listener asks for client certificates only if it was started so
            differ.add("smpp (a pinned client certificate)");
        }
        return differ;
    }

    private static Object value(RecordComponent component, Object record) {
        try {
            return component.getAccessor().invoke(record);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException(e);
        }
    }
}
