package vn.tracuu.phone;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.jsmpp.bean.BindType;
import vn.tracuu.app.config.ConfigException;
import vn.tracuu.app.config.GatewayConfig;
import vn.tracuu.core.domain.MobileOperator;
import vn.tracuu.core.domain.Msisdn;
import vn.tracuu.simulators.PhoneSimulator;
import vn.tracuu.simulators.SmscSimulator;
import vn.tracuu.simulators.UssdCentre;
import vn.tracuu.simulators.UssdScreens;
import vn.tracuu.smpp.session.OperatorOptions;
import vn.tracuu.smpp.session.OutboundBindOptions;

/**
 * Texts or dials the gateway like a handset behind an operator, reading the operator's settings
 * from the gateway's config: binds to the gateway as that operator, or plays the operator's SMSC
 * when the gateway binds out to it. Outside the gateway's jar: it runs on jsmpp.
 */
public final class Phone {

    private static final String USAGE = String.join(
            "\n",
            "usage: tracuu-phone <command> [options]",
            "  sms   --from MSISDN [--operator ID] [--password P] [--host H] [--port N] [--to CODE]",
            "        [--wait SECONDS] [--config FILE] TEXT    text the gateway like a handset",
            "  ussd  --from MSISDN [--operator ID] [--password P] [--host H] [--port N] [--wait SECONDS]",
            "        [--config FILE] *2024# [ANSWER ...]  dial the gateway like a handset; then answers (or stdin)");

    private static final String DEMO_PASSWORD = "demo";

    private Phone() {}

    public static void main(String[] argv) {
        List<String> args = Arrays.asList(argv);
        if (args.isEmpty()) {
            System.err.println(USAGE);
            System.exit(2);
        }
        List<String> rest = args.subList(1, args.size());
        try {
            int code = switch (args.get(0)) {
                case "sms" ->
                    phone(new Arguments(
                            rest, Set.of("config", "from", "operator", "password", "host", "port", "to", "wait")));
                case "ussd" ->
                    ussd(new Arguments(rest, Set.of("config", "from", "operator", "password", "host", "port", "wait")));
                default -> {
                    System.err.println(USAGE);
                    yield 2;
                }
            };
            System.exit(code);
        } catch (ConfigException e) {
            System.err.println("tracuu-phone: config: " + e.getMessage());
            System.exit(2);
        } catch (IllegalArgumentException e) {
            System.err.println("tracuu-phone: " + e.getMessage());
            System.exit(2);
        }
    }

    private static GatewayConfig config(Arguments a) {
        return GatewayConfig.load(a.option("config").map(Path::of), System.getenv());
    }

    /** The handset {@code --from} names, and its operator: {@code --operator}, else the number's prefix. */
    private record Handset(GatewayConfig config, Msisdn msisdn, OperatorOptions operator) {

        static Handset of(Arguments a, String command) {
            GatewayConfig config = Phone.config(a);
            String from =
                    a.option("from").orElseThrow(() -> new IllegalArgumentException(command + " needs --from MSISDN"));
            Msisdn msisdn = Msisdn.parse(from, Msisdn.TON_UNKNOWN)
                    .orElseThrow(() ->
                            new IllegalArgumentException("--from " + from + " is not a Vietnamese mobile number"));
            String operatorId = a.option("operator")
                    .orElse(MobileOperator.byPrefix(msisdn)
                            .map(MobileOperator::id)
                            .orElse(config.smpp().operators().get(0).id()));
            OperatorOptions operator = config.smpp().operators().stream()
                    .filter(o -> o.id().equals(operatorId))
                    .findFirst()
                    .orElseThrow(
                            () -> new IllegalArgumentException("--operator " + operatorId + " is not in the config"));
            return new Handset(config, msisdn, operator);
        }

        /** The operator's SMPP password for binding to the gateway: --password, TRACUU_PHONE_PASSWORD, or the demo one. */
        static String password(Arguments a) {
            return a.option("password")
                    .orElse(Optional.ofNullable(System.getenv("TRACUU_PHONE_PASSWORD"))
                            .orElse(DEMO_PASSWORD));
        }
    }

    private static int phone(Arguments a) throws IllegalArgumentException {
        Handset handset = Handset.of(a, "phone");
        GatewayConfig config = handset.config();
        Msisdn msisdn = handset.msisdn();
        OperatorOptions operator = handset.operator();
        String text = String.join(" ", a.words());
        if (text.isBlank()) {
            throw new IllegalArgumentException("phone needs the text to send, e.g. \"TC\"");
        }
        String shortCode = a.option("to").orElse(operator.shortCodes().get(0));
        Duration wait = Duration.ofSeconds(a.integer("wait", 30));
        if (operator.bindOut().isPresent()) {
            return phoneAsSmsc(operator, msisdn, shortCode, text, wait);
        }
        String password = Handset.password(a);
        String host = a.option("host").orElse(config.smpp().host());
        int port = a.integer("port", config.smpp().port());
        try (PhoneSimulator phone = PhoneSimulator.bind(host, port, operator.systemId(), password, BindType.BIND_TRX)) {
            String id = phone.send(msisdn.digits(), shortCode, text);
            System.out.printf(
                    "sent \"%s\" from %s to %s via %s (message id %s)%n",
                    text, msisdn.digits(), shortCode, operator.id(), id);
            return printReply(phone.awaitReply(msisdn.digits(), wait));
        } catch (Exception e) {
            System.err.println("tracuu-phone: sms: " + e.getMessage());
            return 1;
        }
    }

    /**
     * The operator expects the gateway to bind to it: play its SMSC on the configured bind-out port,
     * wait for the running gateway to bind, hand the text over as deliver_sm, print the submit_sm reply.
     */
    private static int phoneAsSmsc(
            OperatorOptions operator, Msisdn msisdn, String shortCode, String text, Duration wait) {
        OutboundBindOptions out = operator.bindOut().orElseThrow();
        try (SmscSimulator smsc = SmscSimulator.listen(out.port(), out.systemId(), out.password())) {
            System.out.printf(
                    "playing %s's SMSC on port %d; waiting for the gateway to bind...%n", operator.id(), smsc.port());
            if (!smsc.awaitBinds(1, wait)) {
                System.err.println(
                        "tracuu-phone: the gateway did not bind within the wait (is it running with this config?)");
                return 1;
            }
            smsc.send(msisdn.digits(), shortCode, text);
            System.out.printf(
                    "delivered \"%s\" from %s to %s via %s (the gateway bound to us)%n",
                    text, msisdn.digits(), shortCode, operator.id());
            return printReply(smsc.awaitReply(msisdn.digits(), wait));
        } catch (Exception e) {
            System.err.println("tracuu-phone: sms: " + e.getMessage());
            return 1;
        }
    }

    /**
     * Dials like a handset behind the operator's USSD centre (the centre binds to the gateway, or
     * the gateway binds to it) and prints each screen; answers come from the arguments, then stdin.
     */
    private static int ussd(Arguments a) {
        Handset handset = Handset.of(a, "ussd");
        List<String> words = a.words();
        if (words.isEmpty()) {
            throw new IllegalArgumentException("ussd needs the string to dial, e.g. \""
                    + handset.config().ussd().serviceCode() + "\"");
        }
        String msisdn = handset.msisdn().digits();
        String code = handset.config().ussd().serviceCode();
        Duration wait = Duration.ofSeconds(a.integer("wait", 30));
        OperatorOptions operator = handset.operator();
        try {
            if (operator.bindOut().isPresent()) {
                OutboundBindOptions out = operator.bindOut().get();
                try (SmscSimulator smsc = SmscSimulator.listen(out.port(), out.systemId(), out.password())) {
                    System.out.printf(
                            "playing %s's USSD centre on port %d; waiting for the gateway to bind...%n",
                            operator.id(), smsc.port());
                    if (!smsc.awaitBinds(1, wait)) {
                        System.err.println(
                                "tracuu-phone: the gateway did not bind within the wait (is it running with this config?)");
                        return 1;
                    }
                    return dialogue(smsc, msisdn, code, words, wait);
                }
            }
            String host = a.option("host").orElse(handset.config().smpp().host());
            int port = a.integer("port", handset.config().smpp().port());
            try (PhoneSimulator centre =
                    PhoneSimulator.bind(host, port, operator.systemId(), Handset.password(a), BindType.BIND_TRX)) {
                return dialogue(centre, msisdn, code, words, wait);
            }
        } catch (Exception e) {
            System.err.println("tracuu-phone: ussd: " + e.getMessage());
            return 1;
        }
    }

    private static int dialogue(UssdCentre centre, String msisdn, String code, List<String> words, Duration wait)
            throws Exception {
        int dialogue = ThreadLocalRandom.current().nextInt(256);
        Iterator<String> answers = words.subList(1, words.size()).iterator();
        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        System.out.printf("dial %s%n", words.get(0));
        centre.ussd(msisdn, code, UssdScreens.PSSR_INDICATION, dialogue, 0, words.get(0));
        while (true) {
            UssdScreens.Screen screen = centre.awaitScreen(msisdn, wait);
            if (screen == null) {
                System.err.println("tracuu-phone: no screen within the wait");
                return 1;
            }
            System.out.printf("---%s%n%s%n", screen.end() ? " (last screen)" : "", screen.text());
            if (screen.end()) {
                return 0;
            }
            String answer = answers.hasNext() ? answers.next() : stdin.readLine();
            if (answer == null) {
                centre.ussd(msisdn, code, UssdScreens.ABORT, dialogue, screen.sequence() + 1, "");
                System.out.println("(hung up)");
                return 0;
            }
            System.out.printf("> %s%n", answer);
            centre.ussd(msisdn, code, UssdScreens.USSR_CONFIRM, dialogue, screen.sequence() + 1, answer);
        }
    }

    private static int printReply(PhoneSimulator.Reply reply) {
        if (reply == null) {
            System.err.println("tracuu-phone: no reply within the wait");
            return 1;
        }
        System.out.printf(
                "reply (%d segment(s), data_coding %d):%n%s%n",
                reply.segments().size(), reply.segments().get(0).dataCoding(), reply.text());
        return 0;
    }
}
