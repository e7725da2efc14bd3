package vn.tracuu.app;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.util.Base64;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.tracuu.app.config.ConfigException;
import vn.tracuu.app.config.GatewayConfig;
import vn.tracuu.app.config.GatewayConfig.AuditSettings;
import vn.tracuu.core.audit.Pseudonymizer;
import vn.tracuu.postgres.DatabaseOptions;
import vn.tracuu.postgres.audit.AuditKeyRecord;

/**
 * The two HMAC keys of the audit pseudonyms, kept outside the database: from the environment
 * ({@code <key id>:<base64 secret>}) or from the key file. Keys are created only on purpose:
 * by {@code tracuu keys init}, or at the first start of an empty embedded database. Every node
 * checks its keys against the fingerprint recorded in the database (the first to start records
 * it) and refuses to start with other keys.
 */
public final class AuditKeys {

    private static final Logger LOG = LoggerFactory.getLogger(AuditKeys.class);

    private AuditKeys() {}

    /**
     * The keys for {@code db}, checked against its recorded fingerprint (recorded now if none is).
     * {@code mayCreate}: the key file may be created, if it is missing and the database holds
     * neither a fingerprint nor an audit entry (the first start of an embedded database).
     */
    public static Pseudonymizer forDatabase(AuditSettings settings, DatabaseOptions db, boolean mayCreate) {
        try {
            AuditKeyRecord.State state = AuditKeyRecord.read(db);
            boolean fresh = state.recorded().isEmpty() && !state.audited();
            if (mayCreate && fresh && !fromEnvironment(settings) && !Files.exists(settings.keyFile())) {
                create(settings.keyFile());
            }
            Pseudonymizer keys = load(settings);
            AuditKeyRecord.Recorded recorded =
                    AuditKeyRecord.record(db, keys.msisdnKeyId(), keys.idKeyId(), keys.fingerprint());
            if (!recorded.fingerprint().equals(keys.fingerprint())) {
                throw new ConfigException(
                        source(settings) + ": these audit keys (" + keys.msisdnKeyId() + ", " + keys.idKeyId()
                                + ") are not the ones this database's pseudonyms were made with (" + keyIds(recorded)
                                + "); every node must use the same keys");
            }
            return keys;
        } catch (SQLException e) {
            throw new ConfigException(
                    "database: the audit keys' fingerprint could not be read or recorded: " + e.getMessage());
        }
    }

    /**
     * {@code tracuu keys init}: creates the key file, which must not exist, and records its
     * fingerprint in a database that has none. Returns the new keys.
     */
    public static Pseudonymizer init(AuditSettings settings, DatabaseOptions db) {
        if (fromEnvironment(settings)) {
            throw new ConfigException(
                    GatewayConfig.ENV_AUDIT_MSISDN_KEY + ": keys come from the environment; keys init writes "
                            + "audit.key-file, unset the variables to use it");
        }
        if (Files.exists(settings.keyFile())) {
            throw new ConfigException(
                    "audit.key-file: " + settings.keyFile() + " exists already; keys init never replaces keys");
        }
        try {
            AuditKeyRecord.State state = AuditKeyRecord.read(db);
            if (state.recorded().isPresent() || state.audited()) {
                throw new ConfigException("audit.key-file: this database's audit was made with keys "
                        + state.recorded().map(AuditKeys::keyIds).orElse("not recorded")
                        + "; copy that key file here instead of creating new keys");
            }
            create(settings.keyFile());
            return forDatabase(settings, db, false);
        } catch (SQLException e) {
            throw new ConfigException("database: the audit keys' fingerprint could not be read: " + e.getMessage());
        }
    }

    private static boolean fromEnvironment(AuditSettings settings) {
        return settings.msisdnKeyFromEnv() != null || settings.idKeyFromEnv() != null;
    }

    private static String source(AuditSettings settings) {
        return fromEnvironment(settings)
                ? GatewayConfig.ENV_AUDIT_MSISDN_KEY + "/" + GatewayConfig.ENV_AUDIT_ID_KEY
                : "audit.key-file " + settings.keyFile();
    }

    private static String keyIds(AuditKeyRecord.Recorded recorded) {
        return recorded.msisdnKeyId() + ", " + recorded.idKeyId();
    }

    /** The keys as configured; never creates them. */
    static Pseudonymizer load(AuditSettings settings) {
        if (fromEnvironment(settings)) {
            return new Pseudonymizer(
                    fromEnv(GatewayConfig.ENV_AUDIT_MSISDN_KEY, settings.msisdnKeyFromEnv()),
                    fromEnv(GatewayConfig.ENV_AUDIT_ID_KEY, settings.idKeyFromEnv()));
        }
        Path file = settings.keyFile();
        if (!Files.exists(file)) {
            throw new ConfigException(
                    "audit.key-file: " + file + " does not exist; copy the key file every node of this database "
                            + "uses there, or create keys once for a new database with 'tracuu keys init'");
        }
        try {
            Properties p = new Properties();
            try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(in);
            }
            return new Pseudonymizer(key(p, "msisdn", file), key(p, "id", file));
        } catch (IOException e) {
            throw new ConfigException("audit.key-file: cannot read " + file + ": " + e.getMessage());
        }
    }

    private static Pseudonymizer.Key fromEnv(String variable, String value) {
        if (value == null || !value.contains(":")) {
            throw new ConfigException(variable + ": must be set as <key id>:<base64 secret of at least 32 bytes>");
        }
        try {
            return new Pseudonymizer.Key(
                    value.substring(0, value.indexOf(':')),
                    Base64.getDecoder().decode(value.substring(value.indexOf(':') + 1)));
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

    private static void create(Path file) {
        try {
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
                p.store(
                        out,
                        "tracuu audit HMAC keys: keep outside the database, back up, give every node the same, never commit");
            }
        } catch (IOException e) {
            throw new ConfigException("audit.key-file: cannot create " + file + ": " + e.getMessage());
        }
        LOG.warn(
                "created new audit keys in {}: back this file up and give every node the same; pseudonyms cannot be recomputed "
                        + "without it",
                file);
    }
}
