package vn.tracuu.simulators;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import org.jsmpp.PDUStringException;
import org.jsmpp.SMPPConstant;
import org.jsmpp.bean.BroadcastSm;
import org.jsmpp.bean.CancelBroadcastSm;
import org.jsmpp.bean.CancelSm;
import org.jsmpp.bean.DataSm;
import org.jsmpp.bean.ESMClass;
import org.jsmpp.bean.GSMSpecificFeature;
import org.jsmpp.bean.GeneralDataCoding;
import org.jsmpp.bean.MessageMode;
import org.jsmpp.bean.MessageType;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.QueryBroadcastSm;
import org.jsmpp.bean.QuerySm;
import org.jsmpp.bean.RegisteredDelivery;
import org.jsmpp.bean.ReplaceSm;
import org.jsmpp.bean.SubmitMulti;
import org.jsmpp.bean.SubmitSm;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.extra.ProcessRequestException;
import org.jsmpp.session.BindRequest;
import org.jsmpp.session.BroadcastSmResult;
import org.jsmpp.session.DataSmResult;
import org.jsmpp.session.QueryBroadcastSmResult;
import org.jsmpp.session.QuerySmResult;
import org.jsmpp.session.SMPPServerSession;
import org.jsmpp.session.SMPPServerSessionListener;
import org.jsmpp.session.ServerMessageReceiverListener;
import org.jsmpp.session.ServerResponseDeliveryListener;
import org.jsmpp.session.Session;
import org.jsmpp.session.SubmitMultiResult;
import org.jsmpp.session.SubmitSmResult;
import org.jsmpp.session.connection.ServerConnection;
import org.jsmpp.session.connection.ServerConnectionFactory;
import org.jsmpp.session.connection.socket.ServerSocketConnection;
import org.jsmpp.util.MessageId;

/**
 * Plays an operator's SMSC that the gateway binds to, with handsets behind it (jsmpp): accepts
 * the gateway's binds, hands a citizen's text over as deliver_sm, collects the reply's submit_sm
 * segments and answers each with a message id and, when asked, a delivery receipt. For tests it
 * can also misbehave as real SMSCs do: refuse binds, throttle, answer late, drop the link.
 * Blocking: the command line and tests only.
 *
 * <p>Longer than the project's 350-line guide: a tool, not gateway code; each misbehaviour is a
 * few lines in the jsmpp listener it changes, and apart they would each need that listener.
 */
public final class SmscSimulator implements UssdCentre, AutoCloseable {

    private final SMPPServerSessionListener listener;
    private final int port;
    private final String systemId;
    private final String password;
    private final ExecutorService workers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "smsc-simulator");
        t.setDaemon(true);
        return t;
    });
    private final List<SMPPServerSession> bound = new CopyOnWriteArrayList<>();
    private final ReplyAssembler replies = new ReplyAssembler();
    private final UssdScreens screens = new UssdScreens();
    private final AtomicLong messageIds = new AtomicLong(0xA000);
    private final AtomicInteger bindAttempts = new AtomicInteger();
    private final AtomicInteger submits = new AtomicInteger();
    private final AtomicInteger unbinds = new AtomicInteger();
    private final AtomicBoolean refuseBinds = new AtomicBoolean();
    private final AtomicInteger throttleNext = new AtomicInteger();
    private final AtomicReference<Duration> responseDelay = new AtomicReference<>(Duration.ZERO);
    private final AtomicInteger delayNext = new AtomicInteger();
    private final AtomicBoolean receipts = new AtomicBoolean(true);
    private final Map<String, SubmitSm> awaitingResponse = new ConcurrentHashMap<>();
    private final AtomicInteger acknowledged = new AtomicInteger();
    private final Map<String, AtomicInteger> acknowledgedTo = new ConcurrentHashMap<>();
    private final AtomicInteger nextBind = new AtomicInteger();
    private volatile boolean closed;

    private SmscSimulator(int port, String systemId, String password, SSLContext tls) throws IOException {
        this.systemId = systemId;
        this.password = password;
        AtomicInteger actual = new AtomicInteger();
        // jsmpp's listener does not say which port 0 became; this factory does
        ServerConnectionFactory factory = new ServerConnectionFactory() {
            @Override
            public ServerConnection listen(int p) throws IOException {
                return listen(p, 0, 50);
            }

            @Override
            public ServerConnection listen(int p, int timeout) throws IOException {
                return listen(p, timeout, 50);
            }

            @Override
            public ServerConnection listen(int p, int timeout, int backlog) throws IOException {
                ServerSocket socket = tls == null
                        ? new ServerSocket(p, backlog, InetAddress.getLoopbackAddress())
                        : tls.getServerSocketFactory().createServerSocket(p, backlog, InetAddress.getLoopbackAddress());
                socket.setSoTimeout(timeout);
                actual.set(socket.getLocalPort());
                return new ServerSocketConnection(socket);
            }
        };
        this.listener = new SMPPServerSessionListener(port, factory);
        this.port = actual.get();
        // room for the threads a held response keeps asleep, with enough left to read everything else
        listener.setPduProcessorDegree(16);
        listener.setMessageReceiverListener(receiver());
        // the receipt follows the submit_sm_resp, as on a real SMSC
        listener.setResponseDeliveryListener(new ServerResponseDeliveryListener() {
            @Override
            public void onSubmitSmRespSent(SubmitSmResult result, SMPPServerSession source) {
                // a segment counts as handed to the handset once the SMSC's response is on the wire
                SubmitSm sm = awaitingResponse.remove(result.getMessageId());
                if (sm == null) {
                    return;
                }
                acknowledged.incrementAndGet();
                acknowledgedTo
                        .computeIfAbsent(sm.getDestAddress(), d -> new AtomicInteger())
                        .incrementAndGet();
                if (!screens.add(sm)) {
                    replies.add(sm);
                }
                if (sm.getRegisteredDelivery() != 0 && receipts.get()) {
                    workers.execute(() -> {
                        try {
                            sendReceipt(result.getMessageId(), "DELIVRD");
                        } catch (Exception e) {
                            // a receipt lost with the link: SMSCs drop them too
                        }
                    });
                }
            }

            @Override
            public void onSubmitSmRespError(SubmitSmResult result, Exception e, SMPPServerSession source) {
                awaitingResponse.remove(result.getMessageId());
            }

            @Override
            public void onSubmitMultiRespSent(SubmitMultiResult result, SMPPServerSession source) {}

            @Override
            public void onSubmitMultiRespError(SubmitMultiResult result, Exception e, SMPPServerSession source) {}
        });
        workers.execute(this::acceptLoop);
    }

    /** Listens on loopback ({@code port} 0 picks a free one) for binds with these credentials. */
    public static SmscSimulator listen(int port, String systemId, String password) throws IOException {
        return new SmscSimulator(port, systemId, password, null);
    }

    /** An SMSC that speaks TLS with {@code tls}'s key and certificate. */
    public static SmscSimulator listenTls(int port, String systemId, String password, SSLContext tls)
            throws IOException {
        return new SmscSimulator(port, systemId, password, tls);
    }

    public int port() {
        return port;
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                SMPPServerSession session = listener.accept();
                workers.execute(() -> bind(session));
            } catch (IOException e) {
                if (!closed) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    private void bind(SMPPServerSession session) {
        try {
            BindRequest request = session.waitForBind(5_000);
            bindAttempts.incrementAndGet();
            if (refuseBinds.get()
                    || !request.getSystemId().equals(systemId)
                    || !request.getPassword().equals(password)) {
                request.reject(SMPPConstant.STAT_ESME_RBINDFAIL);
                return;
            }
            request.accept("smsc-sim");
            bound.add(session);
            bindsChanged();
            session.addSessionStateListener((newState, oldState, source) -> {
                if (newState == org.jsmpp.extra.SessionState.UNBOUND) {
                    unbinds.incrementAndGet();
                }
                if (!newState.isBound()) {
                    bound.remove(session);
                }
            });
        } catch (Exception e) {
            session.close();
        }
    }

    /** Waits until the gateway holds at least {@code binds} binds; false when it does not in time. */
    public synchronized boolean awaitBinds(int binds, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (bound.size() < binds) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    private synchronized void bindsChanged() {
        notifyAll();
    }

    public int boundCount() {
        return bound.size();
    }

    /** Bind requests seen so far, refused ones included. */
    public int bindAttempts() {
        return bindAttempts.get();
    }

    /** Binds the gateway ended with an unbind (a graceful stop), not by dropping the link. */
    public int unbindsReceived() {
        return unbinds.get();
    }

    /** submit_sm segments acknowledged with a message id: what reached handsets. */
    public int acknowledged() {
        return acknowledged.get();
    }

    /** submit_sm segments to {@code msisdn} acknowledged with a message id: a second one of a one-segment reply is a duplicate. */
    public int acknowledged(String msisdn) {
        AtomicInteger n = acknowledgedTo.get(msisdn);
        return n == null ? 0 : n.get();
    }

    /** submit_sm received so far, including the ones answered with an error. */
    public int submits() {
        return submits.get();
    }

    /**
     * A handset texts the short code: deliver_sm on a bind of the gateway (its binds in turn, as an
     * SMSC spreads traffic over an account's binds, several gateway nodes' included), returned
     * once acknowledged.
     */
    public void send(String fromMsisdn, String shortCode, String text) throws Exception {
        List<SMPPServerSession> binds = List.copyOf(bound);
        if (binds.isEmpty()) {
            throw new IllegalStateException("the gateway has no bind to this SMSC");
        }
        boolean gsm = PhoneSimulator.fitsGsm7(text);
        binds.get(Math.floorMod(nextBind.getAndIncrement(), binds.size()))
                .deliverShortMessage(
                        "",
                        TypeOfNumber.INTERNATIONAL,
                        NumberingPlanIndicator.ISDN,
                        fromMsisdn,
                        TypeOfNumber.UNKNOWN,
                        NumberingPlanIndicator.UNKNOWN,
                        shortCode,
                        new ESMClass(),
                        (byte) 0,
                        (byte) 0,
                        new RegisteredDelivery(0),
                        gsm ? GeneralDataCoding.DEFAULT : new GeneralDataCoding(org.jsmpp.bean.Alphabet.ALPHA_UCS2),
                        PhoneSimulator.handsetPayload(text));
    }

    /** Handed to the gateway's bind as deliver_sm with service_type USSD. */
    @Override
    public void ussd(String fromMsisdn, String serviceCode, int operation, int dialogue, int sequence, String text)
            throws Exception {
        if (bound.isEmpty()) {
            throw new IllegalStateException("the gateway has no bind to this SMSC");
        }
        bound.get(0)
                .deliverShortMessage(
                        "USSD",
                        TypeOfNumber.INTERNATIONAL,
                        NumberingPlanIndicator.ISDN,
                        fromMsisdn,
                        TypeOfNumber.UNKNOWN,
                        NumberingPlanIndicator.UNKNOWN,
                        serviceCode,
                        new ESMClass(),
                        (byte) 0,
                        (byte) 0,
                        new RegisteredDelivery(0),
                        new GeneralDataCoding(org.jsmpp.bean.Alphabet.ALPHA_DEFAULT),
                        PhoneSimulator.handsetPayload(text),
                        UssdScreens.tlvs(operation, dialogue, sequence));
    }

    @Override
    public UssdScreens.Screen awaitScreen(String msisdn, Duration timeout) throws InterruptedException {
        return screens.await(msisdn, timeout);
    }

    /** Sends a receipt in the Appendix B text form for a message id, e.g. one the gateway never sent. */
    public void sendReceipt(String messageId, String stat) throws Exception {
        String text = "id:" + messageId + " sub:001 dlvrd:001 submit date:2611221200 done date:2611221200 stat:" + stat
                + " err:000";
        bound.get(0)
                .deliverShortMessage(
                        "",
                        TypeOfNumber.UNKNOWN,
                        NumberingPlanIndicator.UNKNOWN,
                        "",
                        TypeOfNumber.UNKNOWN,
                        NumberingPlanIndicator.UNKNOWN,
                        "",
                        new ESMClass(MessageMode.DEFAULT, MessageType.SMSC_DEL_RECEIPT, GSMSpecificFeature.DEFAULT),
                        (byte) 0,
                        (byte) 0,
                        new RegisteredDelivery(0),
                        GeneralDataCoding.DEFAULT,
                        text.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    /** Waits for the next whole reply to {@code msisdn}; null when none is complete in time. */
    public PhoneSimulator.Reply awaitReply(String msisdn, Duration timeout) throws InterruptedException {
        return replies.awaitReply(msisdn, timeout);
    }

    public void refuseBinds(boolean refuse) {
        refuseBinds.set(refuse);
    }

    /** Answers the next {@code n} submit_sm with ESME_RTHROTTLED. */
    public void throttleNext(int n) {
        throttleNext.set(n);
    }

    /** Holds the response to the next {@code n} submit_sm for {@code delay} (past the gateway's timeout, say). */
    public void delayNext(int n, Duration delay) {
        responseDelay.set(delay);
        delayNext.set(n);
    }

    public void sendReceipts(boolean send) {
        receipts.set(send);
    }

    /** Drops every bind's TCP connection without an unbind, as a failing link does. */
    public void dropLinks() {
        bound.forEach(Session::close);
        bound.clear();
    }

    private ServerMessageReceiverListener receiver() {
        return new ServerMessageReceiverListener() {
            @Override
            public SubmitSmResult onAcceptSubmitSm(SubmitSm sm, SMPPServerSession source)
                    throws ProcessRequestException {
                submits.incrementAndGet();
                if (throttleNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    throw new ProcessRequestException("throttled", SMPPConstant.STAT_ESME_RTHROTTLED);
                }
                if (delayNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    try {
                        Thread.sleep(responseDelay.get().toMillis());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                String id = Long.toHexString(messageIds.incrementAndGet());
                awaitingResponse.put(id, sm);
                try {
                    return new SubmitSmResult(new MessageId(id), new org.jsmpp.bean.OptionalParameter[0]);
                } catch (PDUStringException e) {
                    throw new ProcessRequestException(e.getMessage(), SMPPConstant.STAT_ESME_RSYSERR);
                }
            }

            @Override
            public SubmitMultiResult onAcceptSubmitMulti(SubmitMulti submitMulti, SMPPServerSession source)
                    throws ProcessRequestException {
                throw new ProcessRequestException("not supported", SMPPConstant.STAT_ESME_RINVCMDID);
            }

            @Override
            public QuerySmResult onAcceptQuerySm(QuerySm querySm, SMPPServerSession source)
                    throws ProcessRequestException {
                throw new ProcessRequestException("not supported", SMPPConstant.STAT_ESME_RINVCMDID);
            }

            @Override
            public void onAcceptReplaceSm(ReplaceSm replaceSm, SMPPServerSession source)
                    throws ProcessRequestException {
                throw new ProcessRequestException("not supported", SMPPConstant.STAT_ESME_RINVCMDID);
            }

            @Override
            public void onAcceptCancelSm(CancelSm cancelSm, SMPPServerSession source) throws ProcessRequestException {
                throw new ProcessRequestException("not supported", SMPPConstant.STAT_ESME_RINVCMDID);
            }

            @Override
            public BroadcastSmResult onAcceptBroadcastSm(BroadcastSm broadcastSm, SMPPServerSession source)
                    throws ProcessRequestException {
                throw new ProcessRequestException("not supported", SMPPConstant.STAT_ESME_RINVCMDID);
            }

            @Override
            public void onAcceptCancelBroadcastSm(CancelBroadcastSm cancel, SMPPServerSession source)
                    throws ProcessRequestException {
                throw new ProcessRequestException("not supported", SMPPConstant.STAT_ESME_RINVCMDID);
            }

            @Override
            public QueryBroadcastSmResult onAcceptQueryBroadcastSm(QueryBroadcastSm query, SMPPServerSession source)
                    throws ProcessRequestException {
                throw new ProcessRequestException("not supported", SMPPConstant.STAT_ESME_RINVCMDID);
            }

            @Override
            public DataSmResult onAcceptDataSm(DataSm dataSm, Session source) throws ProcessRequestException {
                throw new ProcessRequestException("not supported", SMPPConstant.STAT_ESME_RINVCMDID);
            }
        };
    }

    @Override
    public void close() {
        closed = true;
        bound.forEach(s -> s.unbindAndClose());
        try {
            listener.close();
        } catch (IOException e) {
            // closing anyway
        }
        workers.shutdownNow();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
