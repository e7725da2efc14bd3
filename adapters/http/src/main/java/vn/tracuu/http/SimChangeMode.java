package vn.tracuu.http;

/** Which GSMA CAMARA "SIM Swap" operation answers the SIM-change question. */
public enum SimChangeMode {
    /** {@code POST /retrieve-date}: the date of the latest SIM change. */
    RETRIEVE_DATE,
    /** {@code POST /check} with {@code maxAge} in hours: only whether one happened within it. */
    CHECK
}
