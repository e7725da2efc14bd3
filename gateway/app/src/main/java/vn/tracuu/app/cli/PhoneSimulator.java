package vn.tracuu.app.cli;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jsmpp.bean.AlertNotification;
import org.jsmpp.bean.BindType;
import org.jsmpp.bean.DataSm;
import org.jsmpp.bean.DeliverSm;
import org.jsmpp.bean.ESMClass;
import org.jsmpp.bean.GeneralDataCoding;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.OptionalParameter;
import org.jsmpp.bean.RegisteredDelivery;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.extra.ProcessRequestException;
import org.jsmpp.session.BindParameter;
import org.jsmpp.session.DataSmResult;
import org.jsmpp.session.MessageReceiverListener;
import org.jsmpp.session.SMPPSession;
import org.jsmpp.session.Session;
import org.jsmpp.session.connection.socket.SocketConnection;
import vn.tracuu.smpp.codec.ShortMessage;
import vn.tracuu.smpp.text.Gsm7;
import vn.tracuu.smpp.text.InboundText;

/**
 * Plays an operator's SMSC with handsets behind it: binds to a running gateway with jsmpp,
 * submits a citizen's text as a handset would, and reassembles the reply's segments. Blocking:
 * the command line and tests only.
 */
public final class PhoneSimulator implements AutoCloseable {

  /** One SMS of a reply as it arrived: how it was coded and numbered. */
  public record Segment(int dataCoding, int esmClass, int reference, int total, int number, String text) {
  }

  /** A whole reply, segments in order. */
  public record Reply(String text, List<Segment> segments) {
  }

  private final SMPPSession session;
  private final Map<String, BlockingQueue<Segment>> byRecipient = new HashMap<>();
  // segments of replies not yet complete, per recipient and reference: replies sent at the same
  // time interleave, so a segment taken while waiting for one reply may belong to the next
  private final Map<String, Map<Integer, List<Segment>>> partial = new ConcurrentHashMap<>();

  private PhoneSimulator(SMPPSession session) {
    this.session = session;
  }

  public static PhoneSimulator bind(String host, int port, String systemId, String password, BindType type) throws IOException {
    // jsmpp leaves Nagle on; a lone PDU would wait for the next one (DESIGN §4)
    SMPPSession session = new SMPPSession((h, p) -> {
      Socket socket = new Socket(h, p);
      socket.setTcpNoDelay(true);
      return new SocketConnection(socket);
    });
    session.setTransactionTimer(10_000);
    PhoneSimulator phone = new PhoneSimulator(session);
    session.setMessageReceiverListener(phone.listener());
    session.connectAndBind(host, port, new BindParameter(type, systemId, password, "", TypeOfNumber.UNKNOWN,
        NumberingPlanIndicator.UNKNOWN, null));
    return phone;
  }

  /** Submits a handset's text; GSM-7 when it fits the default alphabet, else UCS-2. Returns the message id. */
  public String send(String fromMsisdn, String shortCode, String text) throws Exception {
    boolean gsm = text.chars().allMatch(c -> Gsm7.septets((char) c) > 0);
    byte[] payload = gsm ? Gsm7.encode(text) : text.getBytes(StandardCharsets.UTF_16BE);
    return session.submitShortMessage("", TypeOfNumber.INTERNATIONAL, NumberingPlanIndicator.ISDN, fromMsisdn,
        TypeOfNumber.UNKNOWN, NumberingPlanIndicator.UNKNOWN, shortCode, new ESMClass(), (byte) 0, (byte) 0, null, null,
        new RegisteredDelivery(0), (byte) 0, gsm ? GeneralDataCoding.DEFAULT : new GeneralDataCoding(org.jsmpp.bean.Alphabet.ALPHA_UCS2),
        (byte) 0, payload).getMessageId();
  }

  /** Waits for the next whole reply to {@code msisdn}; null when none is complete in time. */
  public Reply awaitReply(String msisdn, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<Integer, List<Segment>> incomplete = partial.computeIfAbsent(msisdn, m -> new HashMap<>());
    BlockingQueue<Segment> queue = queueFor(msisdn);
    while (true) {
      long left = deadline - System.nanoTime();
      Segment s = left <= 0 ? null : queue.poll(left, TimeUnit.NANOSECONDS);
      if (s == null) {
        return null;
      }
      if (s.total() <= 1) {
        return new Reply(s.text(), List.of(s));
      }
      List<Segment> parts = incomplete.computeIfAbsent(s.reference(), r -> new ArrayList<>());
      parts.add(s);
      if (parts.size() == s.total()) {
        incomplete.remove(s.reference());
        parts.sort(Comparator.comparingInt(Segment::number));
        StringBuilder text = new StringBuilder();
        parts.forEach(p -> text.append(p.text()));
        return new Reply(text.toString(), List.copyOf(parts));
      }
    }
  }

  private synchronized BlockingQueue<Segment> queueFor(String msisdn) {
    return byRecipient.computeIfAbsent(msisdn, m -> new LinkedBlockingQueue<>());
  }

  private MessageReceiverListener listener() {
    return new MessageReceiverListener() {
      @Override
      public void onAcceptDeliverSm(DeliverSm sm) throws ProcessRequestException {
        byte[] data = sm.getShortMessage();
        boolean udh = (sm.getEsmClass() & ShortMessage.ESM_UDHI) != 0;
        int reference = 0;
        int total = 1;
        int number = 1;
        if (udh && data.length >= 6 && data[1] == 0x00) {
          reference = data[3] & 0xFF;
          total = data[4] & 0xFF;
          number = data[5] & 0xFF;
        } else if (sm.getOptionalParameter((short) ShortMessage.TAG_SAR_TOTAL_SEGMENTS) != null) {
          reference = tlvValue(sm.getOptionalParameter((short) ShortMessage.TAG_SAR_MSG_REF_NUM));
          total = tlvValue(sm.getOptionalParameter((short) ShortMessage.TAG_SAR_TOTAL_SEGMENTS));
          number = tlvValue(sm.getOptionalParameter((short) ShortMessage.TAG_SAR_SEGMENT_SEQNUM));
        }
        String text = InboundText.decode(sm.getDataCoding() & 0xFF, data, udh);
        queueFor(sm.getDestAddress()).add(new Segment(sm.getDataCoding() & 0xFF, sm.getEsmClass() & 0xFF, reference, total, number, text));
      }

      @Override
      public void onAcceptAlertNotification(AlertNotification alert) {
      }

      @Override
      public DataSmResult onAcceptDataSm(DataSm dataSm, Session source) throws ProcessRequestException {
        throw new ProcessRequestException("data_sm not used", 0x03);
      }
    };
  }

  private static int tlvValue(OptionalParameter p) {
    byte[] tlv = p.serialize();
    int v = 0;
    for (int i = 4; i < tlv.length; i++) {
      v = (v << 8) | (tlv[i] & 0xFF);
    }
    return v;
  }

  /** Submits nothing more; unbinds cleanly. */
  @Override
  public void close() {
    session.unbindAndClose();
  }

}
