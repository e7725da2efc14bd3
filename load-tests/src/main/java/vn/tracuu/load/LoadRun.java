package vn.tracuu.load;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;
import vn.tracuu.core.domain.TextNormalizer;
import vn.tracuu.core.lookup.ReplyText;
import vn.tracuu.smpp.ussd.UssdMapping;

/**
 * One measured run of simulated handsets against an SMPP peer: open loop at a rate (slow replies
 * do not slow the sender) or closed loop with a window; each request is timed from its submit_sm
 * to the last segment of its reply. Every request is expected to get exactly one reply: missing
 * and duplicate replies are counted. All state lives on one Vert.x context.
 */
final class LoadRun {

    /**
     * Shares of the mix, in percent: SMS lookups, help, mismatched IDs, unverified numbers, and USSD
     * dialogues (dial the service code, pick a topic from the menu, leave when the answer pages).
     */
    record Mix(int lookups, int help, int mismatches, int unverified, int ussd) {
        static final Mix REALISTIC = new Mix(75, 10, 10, 5, 0);
        static final Mix LOOKUPS_ONLY = new Mix(100, 0, 0, 0, 0);

        /** This mix with {@code percent} of its messages starting USSD dialogues instead of SMS lookups. */
        Mix withUssd(int percent) {
            if (percent < 0 || percent > lookups + ussd) {
                throw new IllegalArgumentException("ussd share must be 0 to " + (lookups + ussd) + " %: " + percent);
            }
            return new Mix(lookups + ussd - percent, help, mismatches, unverified, percent);
        }
    }

    record Options(
            String host,
            int port,
            String systemId,
            String password,
            String shortCode,
            String ussdCode,
            int binds,
            int rate,
            int window,
            Duration warmup,
            Duration duration,
            Duration drain,
            Mix mix,
            long seed) {}

    /** A verified number and the last four digits of its ID, for matching and mismatching claims. */
    record Number(String msisdn, String lastFour) {}

    /**
     * What a run measured. {@code latencyMicros} covers requests sent after the warm-up; a USSD
     * input counts as a request, its screen as the reply. {@code ussdInputs} of the {@code sent}
     * were USSD, {@code ussdLookups} of them menu choices (each a lookup for the gateway).
     * {@code perSecond}: for each second since the start (the warm-up's included), the replies
     * that came in then and their mean, max, p50 and p99 latency in microseconds.
     * {@code warmUpLatencyMicros} and {@code warmUpBusy}: the cold start, shown apart, not hidden.
     */
    record Result(
            String name,
            long sent,
            long completed,
            long missing,
            long duplicates,
            Map<String, Long> errors,
            Histogram latencyMicros,
            double seconds,
            List<long[]> perSecond,
            long ussdInputs,
            long ussdLookups,
            long ussdDialogues,
            Histogram warmUpLatencyMicros,
            long warmUpBusy,
            CpuTime cpu) {

        double throughput() {
            return completed / Math.max(seconds, 1e-9);
        }
    }

    // an answer names its record by the masked ID, "Số ĐD ********2345" (GSM-7: "So DD ...")
    // the one refusal text, in either alphabet, and what a reply that is it names
    private static final String REFUSAL = ReplyText.REFUSAL;
    private static final String REFUSAL_GSM7 = TextNormalizer.stripDiacritics(ReplyText.REFUSAL);
    private static final String REFUSED = "refused";
    private static final Pattern MASKED_ID = Pattern.compile("\\*{8}(\\d{4})");
    private static final String[] TOPICS = {"TC", "TC CT", "TC CM", "TC NM", "TC VC", "TC DD"};
    // the USSD menu's topics are its choices 1 to 6
    private static final int USSD_TOPICS = 6;

    private final Vertx vertx;
    private Context context;
    // the SMSC the gateway binds out to, when the driver plays the operator's SMSC
    private SmscLoadServer smsc;
    private final Options options;
    private final String name;
    private final ArrayDeque<Number> freeVerified;
    private final ArrayDeque<Number> freeUnverified;
    private final Map<String, long[]> inFlight = new HashMap<>();
    private final Map<String, Number> numberOf = new HashMap<>();
    // what an in-flight text's reply must name: the last four digits of the number's record, "" for
    // none (a refusal); absent: not checked (help, USSD screens)
    private final Map<String, String> expectedRecord = new HashMap<>();
    // the last four digits of the record a reply named so far (in any of its segments)
    private final Map<String, String> namedRecord = new HashMap<>();
    // handsets in a USSD dialogue: its session number, and whether the menu choice was sent
    private final Map<String, int[]> dialogues = new HashMap<>();
    private final Histogram latency = new Histogram(60_000_000L, 3);
    private final Histogram warmUpLatency = new Histogram(60_000_000L, 3);
    private long warmUpBusy;
    // each second's replies, by the second they came in (the warm-up's too, for the charts)
    private final TreeMap<Long, Histogram> seconds = new TreeMap<>();
    private final Map<String, Long> errors = new TreeMap<>();
    private final SplittableRandom random;
    private final List<SmppLoadClient> clients = new ArrayList<>();
    private long sent;
    // open loop: texts the schedule has sent so far (a USSD dialogue's later inputs are not scheduled)
    private long scheduled;
    private long duplicates;
    private long ussdInputs;
    private long ussdLookups;
    private long ussdDialogues;
    private long started;
    private long measureFrom;
    private long stopSending;
    private boolean sending;
    private boolean finished;
    private Promise<Result> done;
    // the CPU time of the measured part: read as it starts and as the sending stops
    private CpuTime.Meter cpuMeter;
    private long driverThread;
    private Future<CpuTime> cpuAtStart = Future.succeededFuture();
    private Future<CpuTime> cpuAtEnd = Future.succeededFuture();

    LoadRun(Vertx vertx, String name, Options options, List<Number> verified, List<Number> unverified) {
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.name = name;
        this.options = options;
        // a sequence of its own each run (the seed is in the report): a reused database's lockouts
        // do not meet the same numbers in the same order
        this.random = new SplittableRandom(options.seed());
        java.util.Random order = new java.util.Random(options.seed());
        List<Number> v = new ArrayList<>(verified);
        List<Number> u = new ArrayList<>(unverified);
        java.util.Collections.shuffle(v, order);
        java.util.Collections.shuffle(u, order);
        this.freeVerified = new ArrayDeque<>(v);
        this.freeUnverified = new ArrayDeque<>(u);
    }

    /** Measures the CPU time of the gateway, the driver and PostgreSQL over the measured part. */
    LoadRun measuringCpu(CpuTime.Meter meter) {
        this.cpuMeter = meter;
        return this;
    }

    /**
     * Plays the operator's SMSC instead of its ESME: the texts go as deliver_sm over the binds the
     * gateway holds to {@code smsc}, the replies come as submit_sm.
     */
    LoadRun overBindsOut(SmscLoadServer smsc) {
        if (smsc != null) {
            this.smsc = smsc;
            this.context = smsc.context();
        }
        return this;
    }

    Future<Result> run() {
        done = Promise.promise();
        if (smsc != null) {
            // on the SMSC's context, where its binds' traffic arrives, whichever thread completed the future
            smsc.binds(options.binds(), Duration.ofSeconds(30))
                    .onSuccess(binds -> context.runOnContext(v -> {
                        driverThread = Thread.currentThread().getId();
                        for (SmppLoadClient c : binds) {
                            c.onDisagreement(this::count);
                            c.onTraffic(this::submitted, this::segment);
                            clients.add(c);
                        }
                        start();
                    }))
                    .onFailure(done::fail);
            return done.future();
        }
        context.runOnContext(v -> {
            driverThread = Thread.currentThread().getId();
            List<Future<Void>> bound = new ArrayList<>();
            for (int i = 0; i < options.binds(); i++) {
                SmppLoadClient c = new SmppLoadClient(vertx);
                c.onDisagreement(this::count);
                clients.add(c);
                bound.add(c.bind(
                        options.host(),
                        options.port(),
                        options.systemId(),
                        options.password(),
                        this::submitted,
                        this::segment));
            }
            Future.all(bound).onSuccess(x -> start()).onFailure(done::fail);
        });
        return done.future();
    }

    private void start() {
        started = System.nanoTime();
        measureFrom = started + options.warmup().toNanos();
        stopSending = measureFrom + options.duration().toNanos();
        sending = true;
        if (cpuMeter != null) {
            vertx.setTimer(Math.max(1, options.warmup().toMillis()), id -> cpuAtStart = readCpu());
        }
        if (options.rate() > 0) {
            vertx.setPeriodic(1, id -> {
                long now = System.nanoTime();
                if (now >= stopSending) {
                    vertx.cancelTimer(id);
                    finishSending();
                    return;
                }
                long due = (long) ((now - started) / 1e9 * options.rate());
                while (scheduled < due && sendOne()) {
                    // open loop: catch up with the schedule whatever the replies do
                }
            });
        } else {
            for (int i = 0; i < options.window(); i++) {
                sendOne();
            }
            vertx.setTimer(Math.max(1, (stopSending - System.nanoTime()) / 1_000_000), id -> finishSending());
        }
    }

    private boolean sendOne() {
        int roll = random.nextInt(100);
        Mix mix = options.mix();
        Number number;
        String text;
        String expect;
        if (roll < mix.unverified() && !freeUnverified.isEmpty()) {
            number = freeUnverified.poll();
            text = "TC";
            expect = "";
        } else {
            number = freeVerified.poll();
            if (number == null) {
                count("no free number (raise the population)");
                return false;
            }
            if (roll < mix.unverified() + mix.help()) {
                text = "HD";
                expect = null;
            } else if (roll < mix.unverified() + mix.help() + mix.mismatches()) {
                text = "TC " + ("0000".equals(number.lastFour()) ? "1111" : "0000");
                expect = "";
            } else if (roll < mix.unverified() + mix.help() + mix.mismatches() + mix.ussd()) {
                numberOf.put(number.msisdn(), number);
                int session = random.nextInt(256);
                dialogues.put(number.msisdn(), new int[] {session, 0});
                sendUssd(number.msisdn(), UssdMapping.DEFAULT_PSSR_INDICATION, session, 0, options.ussdCode());
                return true;
            } else {
                String topic = TOPICS[random.nextInt(TOPICS.length)];
                text = random.nextInt(3) == 0 ? topic + " " + number.lastFour() : topic;
                expect = number.lastFour();
            }
        }
        inFlight.put(number.msisdn(), new long[] {intendedStart(), 0});
        numberOf.put(number.msisdn(), number);
        if (expect != null) {
            expectedRecord.put(number.msisdn(), expect);
        }
        clients.get((int) (sent % clients.size())).submit(number.msisdn(), options.shortCode(), text);
        sent++;
        return true;
    }

    private void sendUssd(String msisdn, int operation, int session, int sequence, String text) {
        inFlight.put(msisdn, new long[] {System.nanoTime(), 0});
        clients.get((int) (sent % clients.size()))
                .submitUssd(msisdn, options.ussdCode(), operation, session, sequence, text);
        sent++;
        ussdInputs++;
    }

    /** The screen answering a USSD input came: the next input of the dialogue, or its end. */
    private void screen(SmppLoadClient.Segment s) {
        int[] dialogue = dialogues.get(s.msisdn());
        if (dialogue != null && s.ussdOperation() == UssdMapping.DEFAULT_USSR_REQUEST) {
            // the menu waits for a choice; an answer that pages waits too, and the handset leaves with 0
            boolean menu = dialogue[1] == 0;
            dialogue[1] = 1;
            if (menu) {
                ussdLookups++;
            }
            sendUssd(
                    s.msisdn(),
                    UssdMapping.DEFAULT_USSR_CONFIRM,
                    dialogue[0],
                    s.ussdSequence() + 1,
                    menu ? Integer.toString(1 + random.nextInt(USSD_TOPICS)) : "0");
            return;
        }
        if (dialogue == null || s.ussdOperation() != UssdMapping.DEFAULT_PSSR_RESPONSE) {
            count("unexpected USSD screen, ussd_service_op " + s.ussdOperation());
        } else {
            ussdDialogues++;
        }
        dialogues.remove(s.msisdn());
        release(s.msisdn());
        next();
    }

    private void submitted(String msisdn, int status) {
        if (status != 0) {
            count("submit_sm_resp 0x" + Integer.toHexString(status));
            inFlight.remove(msisdn);
            expectedRecord.remove(msisdn);
            namedRecord.remove(msisdn);
            dialogues.remove(msisdn);
            release(msisdn);
            next();
        }
    }

    private void segment(SmppLoadClient.Segment s) {
        if (s.notice()) {
            // another number of the record was looked up: a notice, not this number's reply
            return;
        }
        long[] f = inFlight.get(s.msisdn());
        if (f == null) {
            duplicates++;
            return;
        }
        Matcher named = MASKED_ID.matcher(s.text());
        if (named.find()) {
            namedRecord.put(s.msisdn(), named.group(1));
        } else if (s.number() == 1 && (s.text().startsWith(REFUSAL) || s.text().startsWith(REFUSAL_GSM7))) {
            namedRecord.put(s.msisdn(), REFUSED);
        }
        if (++f[1] < s.total()) {
            return;
        }
        inFlight.remove(s.msisdn());
        check(s.msisdn(), s.busy());
        long now = System.nanoTime();
        long second = (now - started) / 1_000_000_000L;
        long micros = (now - f[0]) / 1000;
        seconds.computeIfAbsent(second, k -> new Histogram(60_000_000L, 2)).recordValue(Math.min(micros, 60_000_000L));
        (f[0] >= measureFrom ? latency : warmUpLatency)
                .recordValue(Math.min(micros, latency.getHighestTrackableValue()));
        if (f[0] < measureFrom && s.busy()) {
            warmUpBusy++;
        }
        // a reply all the same, but no lookup: a guard open or a failure answered at once, which
        // would otherwise pass for throughput (the benchmark lifts the limits that also answer so)
        if (s.busy()) {
            count("busy reply");
        }
        if (s.ussd()) {
            screen(s);
            return;
        }
        release(s.msisdn());
        next();
    }

    /**
     * A reply complete: it must name the record its number is bound to (the masked ID's last four
     * digits), or none for a refusal; a "busy" answer is counted apart.
     */
    private void check(String msisdn, boolean busy) {
        String expected = expectedRecord.remove(msisdn);
        String named = namedRecord.remove(msisdn);
        if (expected == null || busy) {
            return;
        }
        if (expected.isEmpty() && named != null && !named.equals(REFUSED)) {
            count("wrong text: a refusal named a record");
        } else if (!expected.isEmpty() && REFUSED.equals(named)) {
            // the mix's mismatched IDs lock a number out (policy.mismatch-threshold) when the
            // closed loop brings it back soon enough: refused, rightly, and counted apart
            count("refused: a number locked out by its mismatches");
        } else if (!expected.isEmpty() && !expected.equals(named)) {
            count(named == null ? "wrong text: an answer named no record" : "wrong text: another record's answer");
        }
    }

    /**
     * When the text now sent was due: in the open loop its slot in the schedule, so a send the
     * driver made late is timed from when it should have left (no coordinated omission); in the
     * closed loop, now.
     */
    private long intendedStart() {
        if (options.rate() <= 0) {
            return System.nanoTime();
        }
        return started + (long) (scheduled++ * 1e9 / options.rate());
    }

    private void release(String msisdn) {
        Number n = numberOf.remove(msisdn);
        if (n != null) {
            (n.lastFour() == null ? freeUnverified : freeVerified).add(n);
        }
    }

    private void next() {
        if (sending && options.rate() == 0) {
            sendOne();
        }
        if (!sending && inFlight.isEmpty()) {
            finish();
        }
    }

    /** The measured part's CPU time, or null when it was not measured. */
    private CpuTime measuredCpu() {
        if (cpuMeter == null || cpuAtStart.failed() || cpuAtEnd.failed() || cpuAtStart.result() == null) {
            return null;
        }
        return cpuAtEnd.result().minus(cpuAtStart.result());
    }

    private Future<CpuTime> readCpu() {
        return vertx.executeBlocking(() -> cpuMeter.read(driverThread));
    }

    private void finishSending() {
        sending = false;
        if (cpuMeter != null) {
            cpuAtEnd = readCpu();
        }
        if (inFlight.isEmpty()) {
            finish();
            return;
        }
        vertx.setTimer(options.drain().toMillis(), id -> finish());
    }

    private void finish() {
        if (finished) {
            return;
        }
        finished = true;
        double measured = (Math.min(System.nanoTime(), stopSending) - measureFrom) / 1e9;
        long completedMeasured = latency.getTotalCount();
        List<long[]> perSecond = new ArrayList<>();
        seconds.forEach((s, h) -> perSecond.add(new long[] {
            s,
            h.getTotalCount(),
            (long) h.getMean(),
            h.getMaxValue(),
            h.getValueAtPercentile(50),
            h.getValueAtPercentile(99)
        }));
        // as they stand now: a reply coming in while the clients close changes nothing
        int missing = inFlight.size();
        long duplicated = duplicates;
        Map<String, Long> errorsNow = Map.copyOf(errors);
        // the CPU readings are in once the sending stopped and the drain is over
        Future.join(cpuAtStart, cpuAtEnd)
                .transform(cpu ->
                        Future.join(clients.stream().map(SmppLoadClient::close).toList()))
                .onComplete(x -> done.complete(new Result(
                        name,
                        sent,
                        completedMeasured,
                        missing,
                        duplicated,
                        errorsNow,
                        latency,
                        measured,
                        perSecond,
                        ussdInputs,
                        ussdLookups,
                        ussdDialogues,
                        warmUpLatency,
                        warmUpBusy,
                        measuredCpu())));
    }

    private void count(String error) {
        errors.merge(error, 1L, Long::sum);
    }
}
