package vn.tracuu.smpp.session;

/**
 * Text from the wire as a log may show it: quoted, at most {@link #MAX_LENGTH} characters, every
 * control character and quote escaped, so a peer cannot start a forged log line or hide one.
 */
public final class LogText {

    static final int MAX_LENGTH = 64;

    private LogText() {}

    public static String quoted(String wire) {
        StringBuilder out = new StringBuilder(Math.min(wire.length(), MAX_LENGTH) + 8).append('\'');
        int shown = Math.min(wire.length(), MAX_LENGTH);
        for (int i = 0; i < shown; i++) {
            char c = wire.charAt(i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\\' -> out.append("\\\\");
                case '\'' -> out.append("\\'");
                default -> {
                    if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('\'');
        if (wire.length() > MAX_LENGTH) {
            out.append("...(").append(wire.length()).append(" characters)");
        }
        return out.toString();
    }
}
