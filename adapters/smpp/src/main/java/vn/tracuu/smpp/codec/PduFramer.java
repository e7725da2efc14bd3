package vn.tracuu.smpp.codec;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;

/**
 * Cuts a TCP byte stream into PDUs. The claimed {@code command_length} is checked before
 * anything is buffered for it: under 16 or over the cap is a framing error, and the stream is
 * not read further (the connection must answer {@code generic_nack} and close).
 */
public final class PduFramer implements Handler<Buffer> {

    private final int maxLength;
    private final Handler<Pdu> onPdu;
    private final Handler<Integer> onFramingError;
    private Buffer pending = Buffer.buffer();
    private boolean failed;

    /** {@code onFramingError} receives the offending command_length. */
    public PduFramer(int maxLength, Handler<Pdu> onPdu, Handler<Integer> onFramingError) {
        this.maxLength = maxLength;
        this.onPdu = onPdu;
        this.onFramingError = onFramingError;
    }

    @Override
    public void handle(Buffer chunk) {
        if (failed) {
            return;
        }
        pending.appendBuffer(chunk);
        int offset = 0;
        while (pending.length() - offset >= 4) {
            int length = pending.getInt(offset);
            if (length < Pdu.HEADER_LENGTH || length > maxLength) {
                failed = true;
                pending = Buffer.buffer();
                onFramingError.handle(length);
                return;
            }
            if (pending.length() - offset < length) {
                break;
            }
            Pdu pdu = new Pdu(
                    pending.getInt(offset + 4),
                    pending.getInt(offset + 8),
                    pending.getInt(offset + 12),
                    pending.getBuffer(offset + Pdu.HEADER_LENGTH, offset + length));
            offset += length;
            onPdu.handle(pdu);
            if (failed) {
                return;
            }
        }
        pending = offset == 0 ? pending : pending.getBuffer(offset, pending.length());
    }

    /** Stops delivering PDUs, e.g. once the connection is closing. */
    public void stop() {
        failed = true;
    }
}
