package vn.tracuu.core.domain;

import java.util.Objects;

/**
 * One USSD screen for the handset: {@code last} ends the dialogue (a PSSR response), otherwise
 * the handset shows an input field and the dialogue waits for the citizen's answer (USSR request).
 */
public record UssdScreen(String text, boolean last) {

    public UssdScreen {
        Objects.requireNonNull(text, "text");
    }
}
