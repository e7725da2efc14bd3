package vn.tracuu.smpp;

import io.vertx.core.buffer.Buffer;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import vn.tracuu.smpp.codec.CommandId;
import vn.tracuu.smpp.codec.Pdu;
import vn.tracuu.smpp.codec.PduCodec;
import vn.tracuu.smpp.codec.ShortMessage;

/**
 * An operator peer speaking raw bytes, for the faults a well-behaved SMPP library cannot produce
 * and to catch what a library's own reading would hide: the operator's ESME connecting to the
 * gateway, or the operator's SMSC side of a connection the gateway opened.
 */
public final class RawSmppPeer implements AutoCloseable {

    private final Socket socket;
    private final DataInputStream in;

    /** Connects to the gateway's listener on loopback. */
    public RawSmppPeer(int port) throws IOException {
        this(new Socket("127.0.0.1", port));
    }

    /** Speaks over a connection the gateway opened to us. */
    public RawSmppPeer(Socket socket) throws IOException {
        this.socket = socket;
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(5_000);
        in = new DataInputStream(socket.getInputStream());
    }

    public void send(Buffer bytes) throws IOException {
        socket.getOutputStream().write(bytes.getBytes());
        socket.getOutputStream().flush();
    }

    public Pdu read() throws IOException {
        int length = in.readInt();
        int id = in.readInt();
        int status = in.readInt();
        int seq = in.readInt();
        byte[] body = new byte[length - 16];
        in.readFully(body);
        return new Pdu(id, status, seq, Buffer.buffer(body));
    }

    /** True once the gateway closed the connection (end of stream within the read timeout). */
    public boolean closedByPeer() throws IOException {
        try {
            return in.read() == -1;
        } catch (EOFException e) {
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return "Connection reset".equals(e.getMessage());
        }
    }

    public Pdu bind(int commandId, String systemId, String password) throws IOException {
        send(PduCodec.bind(commandId, 1, systemId, password));
        return read();
    }

    public Pdu submit(int sequence, String source, int sourceTon, String dest, String text) throws IOException {
        ShortMessage sm = new ShortMessage(
                "",
                sourceTon,
                1,
                source,
                0,
                0,
                dest,
                0,
                0,
                0,
                "",
                "",
                0,
                0,
                0,
                0,
                text.getBytes(StandardCharsets.US_ASCII),
                Map.of());
        send(PduCodec.shortMessage(CommandId.SUBMIT_SM, sequence, sm));
        return read();
    }

    /** A submit_sm from a verified-looking number to 8088 with the raw user data, coding and TLVs given. */
    public Pdu submit(int sequence, int dataCoding, byte[] userData, Map<Integer, byte[]> tlvs) throws IOException {
        sendSubmit(sequence, 0, dataCoding, userData, tlvs);
        return read();
    }

    /** Sends a submit_sm as {@link #submit(int, int, byte[], Map)} does, with {@code esmClass}, without reading. */
    public void sendSubmit(int sequence, int esmClass, int dataCoding, byte[] userData, Map<Integer, byte[]> tlvs)
            throws IOException {
        ShortMessage sm = new ShortMessage(
                "", 1, 1, "84912345678", 0, 0, "8088", esmClass, 0, 0, "", "", 0, 0, dataCoding, 0, userData, tlvs);
        send(PduCodec.shortMessage(CommandId.SUBMIT_SM, sequence, sm));
    }

    public static void cString(Buffer out, String s) {
        out.appendBytes(s.getBytes(StandardCharsets.ISO_8859_1)).appendByte((byte) 0);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
