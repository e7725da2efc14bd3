package vn.tracuu.app.admin;

import vn.tracuu.core.domain.InvalidOption;

/** The admin HTTP listener, from the {@code admin} section; {@code port} -1 turns it off. */
public record AdminOptions(String host, int port, boolean readyRequiresBinds) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8025;

    public AdminOptions {
        InvalidOption.inRange("port", port, -1, 65535);
    }

    public boolean enabled() {
        return port >= 0;
    }
}
