package vn.tracuu.app.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import vn.tracuu.app.config.GatewayConfig.YesNo;
import vn.tracuu.smpp.codec.CommandId;
import vn.tracuu.smpp.session.OperatorOptions;
import vn.tracuu.smpp.session.OutboundBindOptions;
import vn.tracuu.smpp.session.PasswordCheck;
import vn.tracuu.smpp.text.Alphabet;
import vn.tracuu.smpp.text.Concatenation;
import vn.tracuu.smpp.ussd.UssdMapping;

/** The {@code operators} list: who may bind, how the gateway binds out, how each maps USSD. */
final class OperatorSection {

    private OperatorSection() {}

    static List<OperatorOptions> read(ConfigNode root, Map<String, Object> template, Map<String, String> env) {
        List<OperatorOptions> operators = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        Set<String> systemIds = new HashSet<>();
        for (ConfigNode op : root.entries("operators", template, List.of("id"))) {
            String id = op.nonEmpty("id");
            String systemId = op.string("system-id").isBlank() ? id : op.string("system-id");
            if (!ids.add(id)) {
                throw new ConfigException(op.key("id") + ": operator '" + id + "' is listed twice");
            }
            if (!systemIds.add(systemId)) {
                throw new ConfigException(op.key("system-id") + ": '" + systemId + "' is given to two operators");
            }
            Optional<OutboundBindOptions> bindOut = bindOut(op.child("bind-out"), env);
            PasswordCheck password;
            if (op.string("password").isBlank() && bindOut.isPresent()) {
                password = PasswordCheck.NONE;
            } else if (op.string("password").isBlank()) {
                throw new ConfigException(op.key("password") + ": must be given, unless " + op.key("bind-out.host")
                        + " is set (the gateway binds to that operator)");
            } else {
                password = SecretReference.isReference(op.string("password").trim())
                        ? PasswordCheck.ofSecret(SecretReference.resolve(op, "password", env))
                        : parsedPassword(op);
            }
            operators.add(op.build(() -> new OperatorOptions(
                    id,
                    systemId,
                    password,
                    op.strings("allowed-addresses"),
                    op.integer("max-binds"),
                    op.strings("short-codes"),
                    op.choice("alphabet", Alphabet.class),
                    op.choice("concatenation", Concatenation.class),
                    op.integer("max-segments"),
                    op.integer("send-rate"),
                    op.integer("receive-rate"),
                    bindOut,
                    ussdMapping(op.child("ussd")),
                    op.choice("tls-only", YesNo.class) == YesNo.TRUE,
                    op.string("client-certificate-sha256").trim())));
        }
        return operators;
    }

    /**
     * For each operator whose {@code lookup-notices} is on, the short code its numbers' notices
     * come from: its first short code (the one citizens text, so KHOA in answer reaches us).
     */
    static Map<String, String> noticeShortCodes(ConfigNode root, Map<String, Object> template) {
        Map<String, String> out = new LinkedHashMap<>();
        for (ConfigNode op : root.entries("operators", template, List.of("id"))) {
            List<String> shortCodes = op.strings("short-codes");
            if (op.choice("lookup-notices", YesNo.class) == YesNo.TRUE) {
                if (shortCodes.isEmpty()) {
                    throw new ConfigException(op.key("lookup-notices") + ": needs a short code in "
                            + op.key("short-codes") + " to send notices from");
                }
                out.put(op.nonEmpty("id"), shortCodes.get(0));
            }
        }
        return out;
    }

    private static PasswordCheck parsedPassword(ConfigNode op) {
        try {
            return PasswordCheck.parse(op.nonEmpty("password"));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(op.key("password") + ": " + e.getMessage());
        }
    }

    /** An operator's {@code ussd} entry: how its USSD centre maps USSD onto SMPP. */
    private static UssdMapping ussdMapping(ConfigNode u) {
        Set<Integer> abort = new HashSet<>();
        for (String code : u.strings("abort")) {
            abort.add(operationCode(u, "abort", code));
        }
        return new UssdMapping(
                u.string("service-type").trim(),
                u.choice("session-id", UssdMapping.SessionIdField.class),
                operationCode(u, "pssr-indication", u.string("pssr-indication")),
                operationCode(u, "pssr-response", u.string("pssr-response")),
                operationCode(u, "ussr-request", u.string("ussr-request")),
                operationCode(u, "ussr-confirm", u.string("ussr-confirm")),
                abort);
    }

    /** A ussd_service_op value, one octet, decimal or 0x hexadecimal. */
    private static int operationCode(ConfigNode u, String name, String value) {
        try {
            int code = Integer.decode(value.trim());
            if (code >= 0 && code <= 255) {
                return code;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigException(
                u.key(name) + ": must be a ussd_service_op value from 0 to 255 (or 0x00 to 0xFF), got '" + value + "'");
    }

    /** An operator's {@code bind-out} entry; empty when its host is empty (the operator binds in). */
    private static Optional<OutboundBindOptions> bindOut(ConfigNode out, Map<String, String> env) {
        String host = out.string("host").trim();
        if (host.isEmpty()) {
            return Optional.empty();
        }
        String systemId = out.nonEmpty("system-id");
        String password = SecretReference.resolve(out, "password", env);
        int bindCommand = switch (out.choice("bind-type", BindType.class)) {
            case TRANSMITTER -> CommandId.BIND_TRANSMITTER;
            case RECEIVER -> CommandId.BIND_RECEIVER;
            case TRANSCEIVER -> CommandId.BIND_TRANSCEIVER;
        };
        return Optional.of(out.build(() -> new OutboundBindOptions(
                host,
                out.integer("port"),
                out.choice("tls", YesNo.class) == YesNo.TRUE,
                systemId,
                password,
                out.string("system-type"),
                bindCommand,
                out.string("address-range"),
                out.integer("binds"),
                out.string("trust-store").trim().isEmpty()
                        ? ""
                        : GatewayConfig.existingFile(out, "trust-store").toString(),
                out.string("trust-store-password"))));
    }

    /** The bind an ESME asks for (SMPP 3.4 §4.1). */
    public enum BindType {
        TRANSMITTER,
        RECEIVER,
        TRANSCEIVER
    }

    /** The first bundled operator's settings, less what names that operator: defaults for the others. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> template(Map<String, Object> defaults) {
        Map<String, Object> template =
                new LinkedHashMap<>((Map<String, Object>) ((List<Object>) defaults.get("operators")).get(0));
        template.put("id", null);
        template.put("system-id", null);
        template.put("password", null);
        return template;
    }
}
