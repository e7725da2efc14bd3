package vn.tracuu.smpp.server;

import java.time.Duration;
import java.util.List;

/** The SMPP server's listening socket and per-bind bounds, from the {@code smpp} section. */
public record SmppServerOptions(
    String host,
    int port,
    String systemId,
    int maxPduLength,
    Duration bindTimeout,
    int inboundWindow,
    int outboundWindow,
    Duration responseTimeout,
    List<OperatorOptions> operators) {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 2775;
  public static final String DEFAULT_SYSTEM_ID = "tracuu";
  public static final int DEFAULT_MAX_PDU_LENGTH = 4096;
  public static final Duration DEFAULT_BIND_TIMEOUT = Duration.ofSeconds(10);
  public static final int DEFAULT_INBOUND_WINDOW = 100;
  public static final int DEFAULT_OUTBOUND_WINDOW = 50;
  public static final Duration DEFAULT_RESPONSE_TIMEOUT = Duration.ofSeconds(10);

  public SmppServerOptions {
    operators = List.copyOf(operators);
  }
}
