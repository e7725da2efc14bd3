package vn.tracuu.simulators;

import java.time.Duration;

/**
 * An operator's USSD centre with handsets behind it, whichever way it is bound to the gateway:
 * {@link PhoneSimulator} binds to it, {@link SmscSimulator} is bound to by it.
 */
public interface UssdCentre {

    /**
     * A handset's USSD input: {@code operation} is the ussd_service_op (1 dials {@code text}, 18
     * answers a screen, 0x81 aborts); the dialogue is {@code dialogue}, its step {@code sequence}.
     */
    void ussd(String fromMsisdn, String serviceCode, int operation, int dialogue, int sequence, String text)
            throws Exception;

    /** Waits for the gateway's next USSD screen to {@code msisdn}; null when none comes in time. */
    UssdScreens.Screen awaitScreen(String msisdn, Duration timeout) throws InterruptedException;
}
