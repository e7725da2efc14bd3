package vn.tracuu.app.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import vn.tracuu.app.Database;
import vn.tracuu.app.admin.AdminOptions;
import vn.tracuu.core.guard.GuardOptions;
import vn.tracuu.core.lookup.LookupOptions;
import vn.tracuu.core.outbox.OutboxOptions;
import vn.tracuu.core.policy.PolicyOptions;
import vn.tracuu.core.ussd.UssdOptions;
import vn.tracuu.http.HttpBackendOptions;
import vn.tracuu.postgres.DatabaseOptions;
import vn.tracuu.smpp.session.BindProtection;
import vn.tracuu.smpp.session.OperatorOptions;
import vn.tracuu.smpp.session.SmppOptions;
import vn.tracuu.smpp.text.Alphabet;
import vn.tracuu.smpp.text.Concatenation;
import vn.tracuu.smpp.ussd.UssdMapping;

class GatewayConfigTest {

    @TempDir
    Path dir;

    private GatewayConfig load(String yaml, Map<String, String> env) throws Exception {
        Path file = dir.resolve("override.yaml");
        Files.writeString(file, yaml);
        return GatewayConfig.load(Optional.of(file), env);
    }

    private String error(String yaml) {
        ConfigException e = assertThrows(ConfigException.class, () -> load(yaml, Map.of("X", "x")));
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e.getMessage();
    }

    @Test
    void theBundledFileHoldsTheDocumentedDefaults() {
        GatewayConfig c = GatewayConfig.load(Optional.empty(), Map.of());
        assertEquals(UssdOptions.defaults(), c.ussd());
        SmppOptions smpp = c.smpp();
        assertEquals(SmppOptions.DEFAULT_HOST, smpp.host());
        assertEquals(SmppOptions.DEFAULT_PORT, smpp.port());
        assertEquals(SmppOptions.DEFAULT_SYSTEM_ID, smpp.systemId());
        assertEquals(SmppOptions.DEFAULT_MAX_PDU_LENGTH, smpp.maxPduLength());
        assertEquals(SmppOptions.DEFAULT_BIND_TIMEOUT, smpp.bindTimeout());
        assertEquals(SmppOptions.DEFAULT_INBOUND_WINDOW, smpp.inboundWindow());
        assertEquals(SmppOptions.DEFAULT_OUTBOUND_WINDOW, smpp.outboundWindow());
        assertEquals(SmppOptions.DEFAULT_RESPONSE_TIMEOUT, smpp.responseTimeout());
        assertEquals(SmppOptions.DEFAULT_ENQUIRE_LINK_INTERVAL, smpp.enquireLinkInterval());
        assertEquals(SmppOptions.DEFAULT_ENQUIRE_LINK_TIMEOUT, smpp.enquireLinkTimeout());
        assertEquals(SmppOptions.DEFAULT_THROTTLE_BACKOFF, smpp.throttleBackoff());
        assertEquals(SmppOptions.DEFAULT_RECONNECT_INITIAL_DELAY, smpp.reconnectInitialDelay());
        assertEquals(SmppOptions.DEFAULT_RECONNECT_MAX_DELAY, smpp.reconnectMaxDelay());
        assertEquals(SmppOptions.DEFAULT_BIND_REFUSED_DELAY, smpp.bindRefusedDelay());
        assertEquals(SmppOptions.DEFAULT_DRAIN_TIMEOUT, smpp.drainTimeout());
        assertEquals(BindProtection.defaults(), smpp.bindProtection());
        assertEquals(SmppOptions.DEFAULT_CONCATENATION_TIMEOUT, smpp.concatenationTimeout());
        assertEquals(SmppOptions.DEFAULT_CONCATENATION_MAX_PENDING, smpp.concatenationMaxPending());
        assertEquals(SmppOptions.DEFAULT_EVENT_LOOPS, smpp.eventLoops());
        assertEquals(GuardOptions.defaults(), c.population().guard());
        assertEquals(GuardOptions.defaults(), c.subscribers().guard());
        assertEquals(
                HttpBackendOptions.DEFAULT_AUTH_HEADER, c.population().http().authHeader());
        assertEquals(
                HttpBackendOptions.DEFAULT_CONNECT_TIMEOUT,
                c.population().http().connectTimeout());
        assertEquals(
                HttpBackendOptions.DEFAULT_MAX_CONNECTIONS,
                c.population().http().maxConnections());
        assertEquals(AdminOptions.DEFAULT_HOST, c.admin().host());
        assertEquals(AdminOptions.DEFAULT_PORT, c.admin().port());
        LookupOptions lookup = LookupOptions.defaults();
        assertEquals(
                new LookupOptions(
                        lookup.replyValidity(),
                        lookup.recoveryGrace(),
                        lookup.recoveryInterval(),
                        lookup.recoveryBatch(),
                        lookup.duplicateWindow(),
                        lookup.recoveryLease(),
                        lookup.answerWithAcceptWithin(),
                        c.lookup().nodeId(),
                        Map.of("viettel", "8088", "vinaphone", "8088", "mobifone", "8088")),
                c.lookup(),
                "and every operator's numbers get lookup notices, from its first short code");
        assertFalse(c.lookup().nodeId().isBlank(), "the node is named after its host when node.id is empty");
        assertEquals(PolicyOptions.defaults(), c.policy());
        assertEquals(
                GatewayConfig.RetentionSettings.DEFAULT_REQUESTS, c.retention().requests());
        assertEquals(OutboxOptions.defaults(), c.outbox());
        assertEquals(DatabaseOptions.DEFAULT_POOL_SIZE, c.database().poolSize());
        assertEquals(DatabaseOptions.DEFAULT_POOL_WAIT_QUEUE, c.database().poolWaitQueue());
        assertEquals(DatabaseOptions.DEFAULT_READ_CONNECTIONS, c.database().readConnections());
        assertEquals(DatabaseOptions.DEFAULT_ROLE, c.database().role());
        assertTrue(c.database().embedded());
        assertEquals(3, smpp.operators().size());
        OperatorOptions vinaphone = smpp.operators().get(1);
        assertEquals("vinaphone", vinaphone.systemId(), "system-id defaults to the operator id");
        assertEquals(OperatorOptions.DEFAULT_MAX_BINDS, vinaphone.maxBinds());
        assertEquals(OperatorOptions.DEFAULT_MAX_SEGMENTS, vinaphone.maxSegments());
        assertEquals(Alphabet.GSM7, vinaphone.alphabet());
        assertEquals(Concatenation.UDH, vinaphone.concatenation());
        assertTrue(vinaphone.password().matches("demo"));
    }

    @Test
    void anOperatorsUssdMappingTakesItsVendorsOpCodes() throws Exception {
        GatewayConfig c = load(
                "ussd:\n  service-code: \"*123#\"\noperators:\n  - id: viettel\n    password: env:X\n    ussd:\n"
                        + "      session-id: user-message-reference\n      pssr-indication: 0x10\n      abort: [0x81, 33]\n",
                Map.of("X", "pw"));
        UssdMapping m = c.smpp().operators().get(0).ussd();
        assertEquals(UssdMapping.SessionIdField.USER_MESSAGE_REFERENCE, m.sessionId());
        assertEquals(16, m.pssrIndication());
        assertEquals(17, m.pssrResponse(), "keys left out keep SMPP 3.4's values");
        assertEquals(java.util.Set.of(0x81, 33), m.abort());
        assertEquals("*123#", c.ussd().serviceCode());
        assertEquals(
                UssdMapping.DEFAULT,
                load("", Map.of()).smpp().operators().get(1).ussd(),
                "the bundled mapping is SMPP 3.4's");
    }

    @Test
    void anOverrideChangesOnlyWhatItNames() throws Exception {
        GatewayConfig c = load("smpp:\n  port: 2776\nlookup:\n  reply-validity: 2h\n", Map.of());
        assertEquals(2776, c.smpp().port());
        assertEquals("127.0.0.1", c.smpp().host());
        assertEquals(java.time.Duration.ofHours(2), c.lookup().replyValidity());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "smpp:\\n  prot: 2775| unknown key 'smpp.prot'",
                "smtp:\\n  port: 25| unknown key 'smtp'",
                "smpp:\\n  port: abc| smpp.port: must be a whole number, got 'abc'",
                "operators:\\n  - id: x\\n    password: env:X\\n    allowed-addresses: [10.0.0.300]| operators[0].allowed-addresses: '10.0.0.300' is not an IP address",
                "operators:\\n  - id: x\\n    password: env:X\\n    allowed-addresses: [gw.example.vn]| operators[0].allowed-addresses: 'gw.example.vn' is not an IP address",
                "smpp:\\n  bind-protection:\\n    max-unbound-per-address: 0| smpp.bind-protection.max-unbound-per-address: must be a whole number from 1",
                "smpp:\\n  port: 70000| smpp.port: must be a whole number from 0 to 65535, got '70000'",
                "population:\\n  guard:\\n    max-retries: 11| population.guard.max-retries: must be a whole number from 0 to 10",
                "population:\\n  http:\\n    auth-value: s3cret| population.http.auth-value: must be env:VARIABLE, never the secret",
                "operators:\\n  - id: x\\n    password: env:X\\n    max-segments: 0| operators[0].max-segments: must be a whole number from 1",
                "smpp:\\n  bind-timeout: soon| smpp.bind-timeout: must be a duration",
                "smpp:\\n  bind-timeout: 0s| smpp.bind-timeout: must be longer than zero",
                "database:\\n  seed: sometimes| database.seed: must be one of auto, always, never",
                "database:\\n  url: mysql://x/y| database.url",
                "database:\\n  read-connections: 0| database.read-connections: must be a whole number from 1 to 100",
                "outbox:\\n  lease: 5s\\n  sent-mark-linger: 5s| outbox.sent-mark-linger: must be shorter than outbox.lease",
                "operators:\\n  - id: x\\n    password: hunter2| operators[0].password: must be pbkdf2-sha256",
                "operators:\\n  - id: x| operators[0].password: must be given",
                "operators:\\n  - id: x\\n    password: env:X\\n    colour: red| unknown key 'operators[0].colour'",
                "operators:\\n  - id: x\\n    password: env:NOT_SET_ANYWHERE| operators[0].password: environment variable NOT_SET_ANYWHERE is not set",
                "operators:\\n  - id: x\\n    password: env:X\\n    alphabet: ascii| operators[0].alphabet: must be one of gsm7, ucs2",
                "smpp: [1, 2| is not valid YAML",
                "smpp:\\n  port: 2775\\nsmpp:\\n  window: 10| line 3: key 'smpp' given twice",
                "smpp:\\n  port: 2775\\n  port: 2776| line 3: key 'port' given twice",
                "ussd:\\n  service-code: 2024| ussd.service-code: must look like *2024#",
                "ussd:\\n  screen-length: 200| ussd.screen-length: must be a whole number from 160 to 182",
                "ussd:\\n  max-sessions: 0| ussd.max-sessions",
                "operators:\\n  - id: x\\n    password: env:X\\n    ussd:\\n      ussr-request: 300| operators[0].ussd.ussr-request: must be a ussd_service_op value",
                "operators:\\n  - id: x\\n    password: env:X\\n    ussd:\\n      abort: [0xZZ]| operators[0].ussd.abort: must be a ussd_service_op value",
                "operators:\\n  - id: x\\n    password: env:X\\n    ussd:\\n      session-id: msisdn| operators[0].ussd.session-id: must be one of its_session_info",
                "lookup:\\n  recovery-grace: 500ms| lookup.recovery-grace: must be longer than policy.min-reply-delay + policy.reply-delay-jitter (500 ms)",
                "policy:\\n  min-reply-delay: 4s\\n  reply-delay-jitter: 1s| lookup.recovery-grace: must be longer than",
                "outbox:\\n  lease: 400ms| outbox.lease: must be longer than policy.min-reply-delay + policy.reply-delay-jitter (500 ms) while lookup.answer-with-accept-within is not 0s",
                "node:\\n  id: 'a b'| node.id: must be 1 to 63 letters",
            })
    void aWrongKeyOrValueIsOneLineNamingIt(String yaml, String expected) {
        String message = error(yaml.replace("\\n", "\n"));
        assertTrue(message.contains(expected), message);
    }

    @Test
    void relativePathsInAConfigFileAreTakenFromItsDirectoryNotTheWorkingDirectory() throws Exception {
        GatewayConfig c = load(
                "node:\n  id: gw-1\naudit:\n  key-file: keys/audit.properties\n  anchor-file: /var/lib/tracuu/anchors.log\n"
                        + "database:\n  embedded-data-dir: pg\n",
                Map.of());
        assertEquals(
                dir.resolve("keys/audit.properties").toAbsolutePath(), c.audit().keyFile());
        assertEquals(Path.of("/var/lib/tracuu/anchors.log"), c.audit().anchorFile());
        assertEquals(dir.resolve("pg").toAbsolutePath(), c.database().embeddedDataDir());
        assertEquals("gw-1", c.lookup().nodeId());
    }

    @Test
    void theDefaultFilesLiveInTheDataDirectoryNotTheWorkingDirectory() {
        GatewayConfig c = GatewayConfig.load(Optional.empty(), Map.of("TRACUU_HOME", dir.toString()));
        assertEquals(
                dir.resolve("audit-keys.properties").toAbsolutePath(), c.audit().keyFile());
        assertEquals(dir.resolve("postgres").toAbsolutePath(), c.database().embeddedDataDir());
        GatewayConfig xdg = GatewayConfig.load(Optional.empty(), Map.of("XDG_DATA_HOME", dir.toString()));
        assertEquals(
                dir.resolve("tracuu/audit-anchors.log").toAbsolutePath(),
                xdg.audit().anchorFile());
    }

    @Test
    void secretsAndTheDatabaseComeFromTheEnvironment() throws Exception {
        GatewayConfig c = load(
                "operators:\n  - id: viettel\n    password: env:VIETTEL_SMPP_PASSWORD\n",
                Map.of(
                        "VIETTEL_SMPP_PASSWORD",
                        "s3cret",
                        "TRACUU_DATABASE_URL",
                        "postgresql://tracuu@db.example:5433/tracuu",
                        "TRACUU_DATABASE_PASSWORD",
                        "pw"));
        assertTrue(c.smpp().operators().get(0).password().matches("s3cret"));
        assertFalse(c.smpp().operators().get(0).password().matches("demo"));
        assertFalse(c.database().embedded());
        assertEquals("pw", c.database().password());
        DatabaseOptions db = DatabaseOptions.fromUrl(
                c.database().url(),
                null,
                c.database().password(),
                8,
                10,
                2,
                c.database().role());
        assertEquals("db.example", db.host());
        assertEquals(5433, db.port());
        assertEquals("tracuu", db.database());
    }

    @Test
    void urlParametersTheGatewayWouldDropAreRefusedNamingTheKey() {
        GatewayConfig.DatabaseSettings settings = GatewayConfig.load(
                        Optional.empty(),
                        Map.of(
                                "TRACUU_DATABASE_URL",
                                "postgresql://tracuu@db.internal/tracuu?sslmode=require&target_session_attrs=read-write"))
                .database();
        ConfigException e = assertThrows(ConfigException.class, () -> Database.externalOptions(settings));
        assertEquals(
                "database.url: connection parameters are not supported here, and would be ignored "
                        + "(sslmode,target_session_attrs): remove them; the connection is made without TLS",
                e.getMessage());
    }

    @Test
    void theLoggingSectionNamesTheKeyOfABadLevelOrEntry() throws Exception {
        GatewayConfig c = load("logging:\n  format: json\n  level: debug\n  levels: [\"io.vertx=warn\"]\n", Map.of());
        assertEquals(LoggingSettings.Format.JSON, c.logging().format());
        assertEquals("DEBUG", c.logging().level());
        assertEquals(Map.of("io.vertx", "WARN"), c.logging().levels());
        assertEquals(
                "logging.level: 'LOUD' is not one of OFF, ERROR, WARN, INFO, DEBUG, TRACE",
                error("logging:\n  level: LOUD\n"));
        assertEquals("logging.levels: 'io.vertx' is not name=LEVEL", error("logging:\n  levels: [io.vertx]\n"));
        assertTrue(error("logging:\n  format: xml\n").startsWith("logging.format: must be one of text, json"));
    }

    @Test
    void anAdminListenerOffLoopbackNeedsATokenAndTlsFilesMustExist() {
        ConfigException open = assertThrows(ConfigException.class, () -> load("admin:\n  host: 0.0.0.0\n", Map.of()));
        assertEquals(
                "admin.token-sha256: required when admin.host (0.0.0.0) is not a loopback address", open.getMessage());
        ConfigException missing = assertThrows(
                ConfigException.class,
                () -> load(
                        "smpp:\n  tls-port: 0\n  tls-key-store: /nonexistent/gateway.p12\n"
                                + "  tls-key-store-password: env:KS\n",
                        Map.of("KS", "x")));
        assertEquals(
                "smpp.tls-key-store: /nonexistent/gateway.p12 does not exist or is not readable", missing.getMessage());
    }
}
