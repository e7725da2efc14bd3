package vn.tracuu.smpp.server;

import java.util.List;
import java.util.Objects;
import vn.tracuu.smpp.text.Alphabet;
import vn.tracuu.smpp.text.Concatenation;

/** One operator allowed to bind in, from an entry of {@code operators} in the YAML config. */
public record OperatorOptions(
    String id,
    String systemId,
    PasswordCheck password,
    List<String> allowedAddresses,
    int maxBinds,
    List<String> shortCodes,
    Alphabet alphabet,
    Concatenation concatenation,
    int maxSegments) {

  public static final int DEFAULT_MAX_BINDS = 4;
  public static final int DEFAULT_MAX_SEGMENTS = 4;

  public OperatorOptions {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(systemId, "systemId");
    Objects.requireNonNull(password, "password");
    allowedAddresses = List.copyOf(allowedAddresses);
    shortCodes = List.copyOf(shortCodes);
    Objects.requireNonNull(alphabet, "alphabet");
    Objects.requireNonNull(concatenation, "concatenation");
  }
}
