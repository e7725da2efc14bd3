package vn.tracuu.smpp.codec;

/** SMPP 3.4 §4.1.1 bind_transmitter / bind_receiver / bind_transceiver body. */
public record BindRequest(
        int commandId,
        String systemId,
        String password,
        String systemType,
        int interfaceVersion,
        int addrTon,
        int addrNpi,
        String addressRange) {

    public boolean canTransmit() {
        return commandId == CommandId.BIND_TRANSMITTER || commandId == CommandId.BIND_TRANSCEIVER;
    }

    public boolean canReceive() {
        return commandId == CommandId.BIND_RECEIVER || commandId == CommandId.BIND_TRANSCEIVER;
    }
}
