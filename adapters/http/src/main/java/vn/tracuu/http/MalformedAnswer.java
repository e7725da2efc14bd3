package vn.tracuu.http;

/** An HTTP answer that is not what the contract promises: never turned into a half-filled record. */
public final class MalformedAnswer extends RuntimeException {

    public MalformedAnswer(String message) {
        super(message, null, false, false);
    }
}
