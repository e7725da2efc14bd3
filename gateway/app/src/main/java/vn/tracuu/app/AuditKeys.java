package vn.tracuu.app;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.tracuu.app.config.ConfigException;
import vn.tracuu.app.config.GatewayConfig;
import vn.tracuu.app.config.GatewayConfig.AuditSettings;
import vn.tracuu.core.audit.Pseudonymizer;

/**
 * The two HMAC keys of the audit pseudonyms, kept outside the database: from the environment
 * ({@code <key id>:<base64 secret>}) or from the key file, which is created with fresh random
 * keys (readable by the owner only) when it does not exist yet.
 */
final class AuditKeys {

  private static final Logger LOG = LoggerFactory.getLogger(AuditKeys.class);

  private AuditKeys() {
  }

  static Pseudonymizer load(AuditSettings settings) {
    if (settings.msisdnKeyFromEnv() != null || settings.idKeyFromEnv() != null) {
      return new Pseudonymizer(fromEnv(GatewayConfig.ENV_AUDIT_MSISDN_KEY, settings.msisdnKeyFromEnv()),
          fromEnv(GatewayConfig.ENV_AUDIT_ID_KEY, settings.idKeyFromEnv()));
    }
    Path file = settings.keyFile();
    try {
      if (!Files.exists(file)) {
        create(file);
      }
      Properties p = new Properties();
      try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        p.load(in);
      }
      return new Pseudonymizer(key(p, "msisdn", file), key(p, "id", file));
    } catch (IOException e) {
      throw new ConfigException("audit.key-file: cannot read or create " + file + ": " + e.getMessage());
    }
  }

  private static Pseudonymizer.Key fromEnv(String variable, String value) {
    if (value == null || !value.contains(":")) {
      throw new ConfigException(variable + ": must be set as <key id>:<base64 secret of at least 32 bytes>");
    }
    try {
      return new Pseudonymizer.Key(value.substring(0, value.indexOf(':')), Base64.getDecoder().decode(value.substring(value.indexOf(':') + 1)));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(variable + ": " + e.getMessage());
    }
  }

  private static Pseudonymizer.Key key(Properties p, String name, Path file) {
    String id = p.getProperty(name + "-key-id");
    String secret = p.getProperty(name + "-key");
    if (id == null || secret == null) {
      throw new ConfigException("audit.key-file: " + file + " lacks " + name + "-key-id or " + name + "-key");
    }
    try {
      return new Pseudonymizer.Key(id, Base64.getDecoder().decode(secret));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("audit.key-file: " + file + " " + name + "-key: " + e.getMessage());
    }
  }

  private static void create(Path file) throws IOException {
    if (file.toAbsolutePath().getParent() != null) {
      Files.createDirectories(file.toAbsolutePath().getParent());
    }
    SecureRandom random = new SecureRandom();
    Properties p = new Properties();
    for (String name : new String[] {"msisdn", "id"}) {
      byte[] secret = new byte[32];
      random.nextBytes(secret);
      p.setProperty(name + "-key-id", name + "-" + Long.toHexString(random.nextLong() & 0xFFFFFFFFL));
      p.setProperty(name + "-key", Base64.getEncoder().encodeToString(secret));
    }
    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      p.store(out, "tracuu audit HMAC keys: keep outside the database, back up, never commit");
    }
    LOG.warn("created new audit keys in {}: back this file up, pseudonyms cannot be recomputed without it", file);
  }
}
