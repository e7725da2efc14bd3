package vn.tracuu.core.ussd;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.tracuu.core.domain.AcceptedRequest;
import vn.tracuu.core.domain.Channel;
import vn.tracuu.core.domain.DeliveryReceipt;
import vn.tracuu.core.domain.InboundMessage;
import vn.tracuu.core.domain.UssdInput;
import vn.tracuu.core.domain.UssdScreen;
import vn.tracuu.core.lookup.ReplyHold;
import vn.tracuu.core.lookup.ReplyText;
import vn.tracuu.core.port.in.MessageReceiver;
import vn.tracuu.core.port.in.SessionLookup;

/**
 * The open USSD dialogues of this node (DESIGN §7: a dialogue stays where its bind is), each a
 * {@link UssdMenu} with two timers: the wait for the citizen's answer to a screen and the whole
 * dialogue's limit. A dialogue that times out or is aborted is dropped and nothing more is sent
 * for it. At most {@code maxSessions} are open; past that a dial-in gets the "busy" screen.
 * SMS and receipts pass through to the lookup service, so an adapter sees one receiver.
 */
public final class UssdDialogues implements MessageReceiver {

    private static final Logger LOG = LoggerFactory.getLogger(UssdDialogues.class);

    private final Clock clock;
    private final Vertx vertx;
    private final UssdOptions options;
    private final MessageReceiver messages;
    private final SessionLookup lookup;
    private final ScreenPager pager;
    private final ReplyHold hold;
    private final String ended;
    private final Map<String, Dialogue> open = new ConcurrentHashMap<>();
    private final AtomicInteger count = new AtomicInteger();

    /** One citizen's dialogue; its fields are guarded by its own monitor. */
    private final class Dialogue {
        final String key;
        final UssdMenu menu = new UssdMenu(options.serviceCode(), pager);
        long screenTimer = -1;
        long sessionTimer = -1;
        boolean closed;

        Dialogue(String key) {
            this.key = key;
        }
    }

    /** {@code clock}: what a screen's hold is measured with. */
    public UssdDialogues(
            Vertx vertx,
            UssdOptions options,
            MessageReceiver messages,
            SessionLookup lookup,
            ToIntFunction<String> screenWidth,
            Clock clock) {
        this.vertx = vertx;
        this.clock = clock;
        this.options = options;
        this.messages = messages;
        this.lookup = lookup;
        this.pager = new ScreenPager(options.screenLength(), UssdMenu.FOOTER, screenWidth);
        this.hold = new ReplyHold(options.minAnswerDelay(), options.answerDelayJitter());
        this.ended = "Phiên tra cứu đã kết thúc. Quay số " + options.serviceCode() + " để bắt đầu lại.";
        for (String screen :
                new String[] {UssdMenu.INVALID + UssdMenu.MENU, ended, ReplyText.REFUSAL, ReplyText.BUSY}) {
            if (screenWidth.applyAsInt(screen) > options.screenLength()) {
                throw new IllegalArgumentException(
                        "a screen of " + options.screenLength() + " characters cannot hold: " + screen);
            }
        }
    }

    @Override
    public Future<AcceptedRequest> receive(InboundMessage message) {
        return messages.receive(message);
    }

    @Override
    public Future<Boolean> receipt(DeliveryReceipt receipt) {
        return messages.receipt(receipt);
    }

    /** Dialogues open now, for metrics. */
    public int openSessions() {
        return count.get();
    }

    @Override
    public Future<Optional<UssdScreen>> ussd(UssdInput input) {
        String key = input.operatorId() + '|' + input.sender().digits() + '|' + input.sessionId();
        return switch (input.kind()) {
            case DIAL -> dial(key, input);
            case ANSWER -> {
                Dialogue d = open.get(key);
                if (d == null) {
                    // after a timeout or abort: a clean final screen, not a dialogue resumed from nothing
                    yield Future.succeededFuture(Optional.of(new UssdScreen(ended, true)));
                }
                UssdMenu.Step step;
                synchronized (d) {
                    if (d.closed) {
                        // its timer fired just now
                        yield Future.succeededFuture(Optional.of(new UssdScreen(ended, true)));
                    }
                    vertx.cancelTimer(d.screenTimer);
                    step = d.menu.answer(input.text());
                }
                yield run(d, step, input);
            }
            case ABORT -> {
                Dialogue d = open.get(key);
                if (d != null) {
                    close(d, "aborted");
                }
                yield Future.succeededFuture(Optional.empty());
            }
        };
    }

    private Future<Optional<UssdScreen>> dial(String key, UssdInput input) {
        Dialogue previous = open.get(key);
        if (previous != null) {
            close(previous, "replaced by a new dial-in");
        }
        if (count.incrementAndGet() > options.maxSessions()) {
            count.decrementAndGet();
            LOG.debug(
                    "USSD dial-in from {} answered busy: {} dialogues open",
                    input.sender().masked(),
                    options.maxSessions());
            return Future.succeededFuture(Optional.of(new UssdScreen(ReplyText.BUSY, true)));
        }
        Dialogue d = new Dialogue(key);
        Dialogue raced = open.put(key, d);
        if (raced != null) {
            close(raced, "replaced by a new dial-in");
        }
        synchronized (d) {
            d.sessionTimer =
                    vertx.setTimer(options.sessionTimeout().toMillis(), id -> close(d, "past the dialogue limit"));
        }
        return run(d, d.menu.dial(input.text()), input);
    }

    private Future<Optional<UssdScreen>> run(Dialogue d, UssdMenu.Step step, UssdInput input) {
        if (step instanceof UssdMenu.Show show) {
            return Future.succeededFuture(shown(d, show.screen()));
        }
        UssdMenu.Choice choice = ((UssdMenu.Lookup) step).choice();
        InboundMessage message = new InboundMessage(
                input.operatorId(),
                input.bindId(),
                Channel.USSD,
                input.sender(),
                options.serviceCode(),
                choice.command(),
                input.receivedAt());
        return lookup.answerInSession(message)
                .recover(err -> Future.succeededFuture(ReplyText.BUSY))
                .compose(text -> hold.after(vertx, clock, input.receivedAt()).map(text))
                .map(text -> {
                    synchronized (d) {
                        return d.closed ? Optional.<UssdScreen>empty() : shown(d, d.menu.answered(text));
                    }
                });
    }

    /** The screen goes out: a final one closes the dialogue, any other waits for the answer. */
    private Optional<UssdScreen> shown(Dialogue d, UssdScreen screen) {
        synchronized (d) {
            if (d.closed) {
                return Optional.empty();
            }
            if (screen.last()) {
                close(d, "");
            } else {
                d.screenTimer = vertx.setTimer(
                        options.screenTimeout().toMillis(), id -> close(d, "no answer within the screen wait"));
            }
            return Optional.of(screen);
        }
    }

    private void close(Dialogue d, String why) {
        synchronized (d) {
            if (d.closed) {
                return;
            }
            d.closed = true;
            vertx.cancelTimer(d.screenTimer);
            vertx.cancelTimer(d.sessionTimer);
        }
        // counted once per dialogue, whether or not a newer one for the same handset took its place
        open.remove(d.key, d);
        count.decrementAndGet();
        if (!why.isEmpty()) {
            LOG.debug("USSD dialogue dropped: {}", why);
        }
    }
}
