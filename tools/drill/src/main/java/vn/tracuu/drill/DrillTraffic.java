package vn.tracuu.drill;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jsmpp.bean.BindType;
import org.jsmpp.extra.NegativeResponseException;
import vn.tracuu.core.lookup.ReplyText;
import vn.tracuu.simulators.PhoneSimulator;

/**
 * The operator in the failover drill (deploy/ha/drill): binds to every gateway node with jsmpp,
 * texts "TC" from a fresh verified number at a steady rate, taking the nodes in turn, and sends a
 * refused or unanswered text again a second later, as an SMSC does. Once the replies have had
 * time to come, it counts what came back for every text a node acknowledged. It knows nothing of
 * the gateway's code but its busy text: an independent peer.
 *
 * <p>Writes into {@code --out}: {@code acknowledged.txt} (msisdn, message id, node, epoch ms),
 * {@code refusals.txt} (epoch ms, node, status) and {@code summary.txt} (one "key: value" a line).
 */
public final class DrillTraffic {

    private static final Duration RESEND_AFTER = Duration.ofSeconds(1);

    private record Acknowledged(String msisdn, String messageId, int node, long atMillis) {}

    private record Refusal(long atMillis, int node, String status) {}

    private final List<String[]> nodes;
    private final String systemId;
    private final String password;
    private final String shortCode;
    private final PhoneSimulator[] phones;
    // every bind ever made, lost ones too: the replies a bind took before it was lost count
    private final ConcurrentLinkedQueue<PhoneSimulator> everyBind = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<String> segments = new ConcurrentLinkedQueue<>();
    private final ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
    private final ExecutorService senders = Executors.newFixedThreadPool(16);
    private final ConcurrentLinkedQueue<Acknowledged> acknowledged = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Refusal> refusals = new ConcurrentLinkedQueue<>();
    private final AtomicLong unanswered = new AtomicLong();
    private final AtomicLong turn = new AtomicLong();
    private volatile long resendUntil;

    private DrillTraffic(List<String[]> nodes, String systemId, String password, String shortCode) {
        this.nodes = nodes;
        this.systemId = systemId;
        this.password = password;
        this.shortCode = shortCode;
        this.phones = new PhoneSimulator[nodes.size()];
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = arguments(args);
        List<String[]> nodes = new ArrayList<>();
        for (String node : a.get("--nodes").split(",")) {
            nodes.add(node.split(":"));
        }
        List<String> numbers = Files.readAllLines(Path.of(a.get("--numbers"))).stream()
                .map(String::trim)
                .filter(n -> !n.isEmpty())
                .toList();
        int rate = Integer.parseInt(a.get("--rate"));
        int seconds = Integer.parseInt(a.get("--seconds"));
        int drain = Integer.parseInt(a.get("--drain"));
        if (numbers.size() < rate * seconds) {
            throw new IllegalArgumentException("--numbers: " + numbers.size() + " numbers, the drill texts from "
                    + rate * seconds + " (a fresh number each text)");
        }
        DrillTraffic drill = new DrillTraffic(nodes, a.get("--system-id"), a.get("--password"), a.get("--short-code"));
        drill.run(numbers.subList(0, rate * seconds), rate, seconds, drain, Path.of(a.get("--out")));
        System.exit(0);
    }

    private static Map<String, String> arguments(String[] args) {
        Map<String, String> a = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            a.put(args[i], args[i + 1]);
        }
        for (String required :
                List.of("--nodes", "--system-id", "--password", "--short-code", "--numbers", "--rate", "--seconds")) {
            if (!a.containsKey(required)) {
                throw new IllegalArgumentException(required + " is required");
            }
        }
        a.putIfAbsent("--drain", "60");
        a.putIfAbsent("--out", ".");
        return a;
    }

    private void run(List<String> numbers, int rate, int seconds, int drain, Path out) throws Exception {
        for (int i = 0; i < phones.length; i++) {
            rebind(i);
        }
        clock.scheduleWithFixedDelay(this::rebindLost, 2, 2, TimeUnit.SECONDS);
        long start = System.nanoTime();
        resendUntil = start + TimeUnit.SECONDS.toNanos(seconds + drain / 2);
        for (int i = 0; i < numbers.size(); i++) {
            String msisdn = numbers.get(i);
            long due = start + i * 1_000_000_000L / rate;
            clock.schedule(
                    () -> senders.execute(() -> send(msisdn)),
                    Math.max(0, due - System.nanoTime()),
                    TimeUnit.NANOSECONDS);
        }
        TimeUnit.SECONDS.sleep(seconds + drain);
        clock.shutdownNow();
        senders.shutdownNow();
        tally(numbers.size(), out);
    }

    private void send(String msisdn) {
        int node = nextLiveNode();
        if (node < 0) {
            resendLater(msisdn);
            return;
        }
        try {
            String id = phones[node].send(msisdn, shortCode, "TC");
            acknowledged.add(new Acknowledged(msisdn, id, node, System.currentTimeMillis()));
        } catch (NegativeResponseException e) {
            refusals.add(new Refusal(System.currentTimeMillis(), node, statusName(e.getCommandStatus())));
            resendLater(msisdn);
        } catch (Exception e) {
            // no response: the node or its link went away, or it did not answer in time
            unanswered.incrementAndGet();
            resendLater(msisdn);
        }
    }

    private void resendLater(String msisdn) {
        if (System.nanoTime() < resendUntil && !clock.isShutdown()) {
            clock.schedule(() -> senders.execute(() -> send(msisdn)), RESEND_AFTER.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private int nextLiveNode() {
        for (int tries = 0; tries < phones.length; tries++) {
            int node = (int) (turn.getAndIncrement() % phones.length);
            PhoneSimulator p = phones[node];
            if (p != null && p.isBound()) {
                return node;
            }
        }
        return -1;
    }

    private void rebindLost() {
        for (int i = 0; i < phones.length; i++) {
            if (phones[i] == null || !phones[i].isBound()) {
                rebind(i);
            }
        }
    }

    private void rebind(int node) {
        try {
            phones[node] = PhoneSimulator.bind(
                    nodes.get(node)[0], Integer.parseInt(nodes.get(node)[1]), systemId, password, BindType.BIND_TRX);
            int n = node;
            phones[node].onReplySegment(to -> segments.add(System.currentTimeMillis() + " " + n + " " + to));
            everyBind.add(phones[node]);
        } catch (IOException e) {
            phones[node] = null;
        }
    }

    private static String statusName(int status) {
        return switch (status) {
            case 0x58 -> "ESME_RTHROTTLED";
            case 0x14 -> "ESME_RMSGQFUL";
            case 0x08 -> "ESME_RSYSERR";
            default -> String.format("0x%08x", status);
        };
    }

    /** Counts the replies each acknowledged text got, on any bind, and writes the files. */
    private void tally(int texts, Path out) throws IOException, InterruptedException {
        Files.createDirectories(out);
        Map<String, Acknowledged> byNumber = new HashMap<>();
        for (Acknowledged a : acknowledged) {
            // a text resent after its response was lost may be acknowledged twice, with the first id
            byNumber.putIfAbsent(a.msisdn(), a);
        }
        long lost = 0;
        long duplicates = 0;
        long busy = 0;
        List<String> withoutReply = new ArrayList<>();
        for (String msisdn : byNumber.keySet()) {
            int replies = 0;
            for (PhoneSimulator phone : everyBind) {
                for (PhoneSimulator.Reply r = phone.awaitReply(msisdn, Duration.ofMillis(1));
                        r != null;
                        r = phone.awaitReply(msisdn, Duration.ofMillis(1))) {
                    replies++;
                    busy += ReplyText.BUSY.equals(r.text()) ? 1 : 0;
                }
            }
            if (replies == 0) {
                lost++;
                Acknowledged a = byNumber.get(msisdn);
                withoutReply.add(a.msisdn() + " " + a.messageId() + " " + a.node() + " " + a.atMillis());
            }
            duplicates += Math.max(0, replies - 1);
        }
        Map<String, Long> refusedBy = new TreeMap<>();
        long first = Long.MAX_VALUE;
        long last = 0;
        for (Refusal r : refusals) {
            refusedBy.merge(r.status(), 1L, Long::sum);
            first = Math.min(first, r.atMillis());
            last = Math.max(last, r.atMillis());
        }
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(out.resolve("acknowledged.txt")))) {
            acknowledged.forEach(
                    a -> w.println(a.msisdn() + " " + a.messageId() + " " + a.node() + " " + a.atMillis()));
        }
        Files.write(out.resolve("without-reply.txt"), withoutReply, StandardCharsets.UTF_8);
        Files.write(out.resolve("segments.txt"), segments, StandardCharsets.UTF_8);
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(out.resolve("refusals.txt")))) {
            refusals.forEach(r -> w.println(r.atMillis() + " " + r.node() + " " + r.status()));
        }
        List<String> summary = List.of(
                "texts: " + texts,
                "acknowledged: " + byNumber.size(),
                "never acknowledged: " + (texts - byNumber.size()),
                "refusals: " + refusals.size() + " " + refusedBy,
                "refused from-to ms: " + (refusals.isEmpty() ? "none" : first + " " + last),
                "unanswered submits: " + unanswered.get(),
                "acknowledged without a reply: " + lost,
                "replies beyond the first: " + duplicates,
                "busy replies: " + busy);
        Files.write(out.resolve("summary.txt"), summary, StandardCharsets.UTF_8);
        summary.forEach(System.out::println);
        for (PhoneSimulator phone : phones) {
            if (phone != null && phone.isBound()) {
                phone.close();
            }
        }
    }
}
