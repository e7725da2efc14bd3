package vn.tracuu.smpp.codec;

import io.vertx.core.buffer.Buffer;

/** One framed PDU: the SMPP 3.4 §3.2 header and the undecoded body. */
public record Pdu(int commandId, int status, int sequence, Buffer body) {

    public static final int HEADER_LENGTH = 16;
}
