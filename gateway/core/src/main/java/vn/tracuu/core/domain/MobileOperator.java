package vn.tracuu.core.domain;

import java.util.List;
import java.util.Optional;

/**
 * The mobile networks the demo knows, with their number prefixes (84 + network code). Numbers
 * move between networks (MNP), so the registry's operator, not the prefix, is authoritative;
 * prefixes only generate demo data and pick the simulator's default operator.
 */
public enum MobileOperator {
    VIETTEL(
            "viettel",
            List.of("8486", "8496", "8497", "8498", "8432", "8433", "8434", "8435", "8436", "8437", "8438", "8439")),
    VINAPHONE("vinaphone", List.of("8491", "8494", "8488", "8481", "8482", "8483", "8484", "8485")),
    MOBIFONE("mobifone", List.of("8490", "8493", "8489", "8470", "8476", "8477", "8478", "8479"));

    private final String id;
    private final List<String> prefixes;

    MobileOperator(String id, List<String> prefixes) {
        this.id = id;
        this.prefixes = prefixes;
    }

    /** The operator id used in config and in the registry. */
    public String id() {
        return id;
    }

    public List<String> prefixes() {
        return prefixes;
    }

    public static Optional<MobileOperator> byPrefix(Msisdn msisdn) {
        for (MobileOperator op : values()) {
            if (op.prefixes.stream().anyMatch(p -> msisdn.digits().startsWith(p))) {
                return Optional.of(op);
            }
        }
        return Optional.empty();
    }
}
