package vn.tracuu.core.lookup;

import java.time.Duration;
import java.util.Objects;

/** Options of the lookup service, built from the {@code lookup} section of the YAML config. */
public record LookupOptions(Duration replyValidity, Duration recoveryGrace, Duration recoveryInterval, int recoveryBatch,
    Duration duplicateWindow) {

  public static final Duration DEFAULT_REPLY_VALIDITY = Duration.ofHours(24);
  public static final Duration DEFAULT_RECOVERY_GRACE = Duration.ofSeconds(5);
  public static final Duration DEFAULT_RECOVERY_INTERVAL = Duration.ofSeconds(10);
  public static final int DEFAULT_RECOVERY_BATCH = 200;
  public static final Duration DEFAULT_DUPLICATE_WINDOW = Duration.ofSeconds(10);

  public LookupOptions {
    Objects.requireNonNull(replyValidity, "replyValidity");
    Objects.requireNonNull(recoveryGrace, "recoveryGrace");
    Objects.requireNonNull(recoveryInterval, "recoveryInterval");
    Objects.requireNonNull(duplicateWindow, "duplicateWindow");
  }

  public static LookupOptions defaults() {
    return new LookupOptions(DEFAULT_REPLY_VALIDITY, DEFAULT_RECOVERY_GRACE, DEFAULT_RECOVERY_INTERVAL, DEFAULT_RECOVERY_BATCH,
        DEFAULT_DUPLICATE_WINDOW);
  }
}
