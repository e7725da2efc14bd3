package vn.tracuu.core.port;

/** A bounded queue or window is full: the caller should say so on the wire and not wait. */
public final class Overloaded extends RuntimeException {

    public Overloaded(String what) {
        super(what + " is full", null, false, false);
    }
}
