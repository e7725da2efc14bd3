package vn.tracuu.app.admin;

/** The admin HTTP listener, from the {@code admin} section; {@code port} -1 turns it off. */
public record AdminOptions(String host, int port, boolean readyRequiresBinds) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8025;

    public boolean enabled() {
        return port >= 0;
    }
}
