package vn.tracuu.smpp.server;

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

/** An operator peer speaking raw bytes, for the faults a well-behaved SMPP library cannot produce. */
final class RawSmppClient implements AutoCloseable {

  private final Socket socket;
  private final DataInputStream in;

  RawSmppClient(int port) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setTcpNoDelay(true);
    socket.setSoTimeout(5_000);
    in = new DataInputStream(socket.getInputStream());
  }

  void send(Buffer bytes) throws IOException {
    socket.getOutputStream().write(bytes.getBytes());
    socket.getOutputStream().flush();
  }

  Pdu read() throws IOException {
    int length = in.readInt();
    int id = in.readInt();
    int status = in.readInt();
    int seq = in.readInt();
    byte[] body = new byte[length - 16];
    in.readFully(body);
    return new Pdu(id, status, seq, Buffer.buffer(body));
  }

  /** True once the gateway closed the connection (end of stream within the read timeout). */
  boolean closedByPeer() throws IOException {
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

  Pdu bind(int commandId, String systemId, String password) throws IOException {
    send(PduCodec.bind(commandId, 1, systemId, password));
    return read();
  }

  Pdu submit(int sequence, String source, int sourceTon, String dest, String text) throws IOException {
    ShortMessage sm = new ShortMessage("", sourceTon, 1, source, 0, 0, dest, 0, 0, 0, "", "", 0, 0, 0, 0,
        text.getBytes(StandardCharsets.US_ASCII), Map.of());
    send(PduCodec.shortMessage(CommandId.SUBMIT_SM, sequence, sm));
    return read();
  }

  static void cString(Buffer out, String s) {
    out.appendBytes(s.getBytes(StandardCharsets.ISO_8859_1)).appendByte((byte) 0);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
