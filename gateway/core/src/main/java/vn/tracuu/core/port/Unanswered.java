package vn.tracuu.core.port;

/**
 * A channel took a reply but did not answer for it in time, and has stopped taking others: the
 * reply should go again at once, by another way, not after the usual retry delay.
 */
public final class Unanswered extends RuntimeException {

    public Unanswered(String what) {
        super(what, null, false, false);
    }
}
