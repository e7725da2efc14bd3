package vn.tracuu.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import vn.tracuu.app.config.LoggingSettings;
import vn.tracuu.core.domain.LogContext;

/** The {@code logging} section on a Logback context of its own, set up as logback.xml sets the real one. */
class LogOutputTest {

    private final LoggerContext context = new LoggerContext();
    private final OutputStreamAppender<ILoggingEvent> out = new OutputStreamAppender<>();

    LogOutputTest() {
        // the adapter slf4j's MDC writes to, as the real context has it
        context.setMDCAdapter(MDC.getMDCAdapter());
        PatternLayoutEncoder text = new PatternLayoutEncoder();
        text.setContext(context);
        text.setPattern("%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level %logger{0} - %msg%n");
        text.start();
        out.setContext(context);
        out.setEncoder(text);
        out.setOutputStream(new ByteArrayOutputStream());
        out.start();
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(out);
    }

    /** What the root appender's encoder makes of one event. */
    private String written(String logger, Level level, String message, Object... args) {
        Logger l = context.getLogger(logger);
        LoggingEvent event = new LoggingEvent(Logger.class.getName(), l, level, message, null, args);
        return new String(out.getEncoder().encode(event), StandardCharsets.UTF_8);
    }

    @Test
    void textLinesCarryAnIsoTimeWithItsZone() {
        LogOutput.apply(context, new LoggingSettings(LoggingSettings.Format.TEXT, "INFO", Map.of()));
        String line = written("vn.tracuu.smpp.session.SmppSession", Level.INFO, "operator viettel bound");
        assertTrue(
                line.matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}(Z|[+-]\\d{2}:\\d{2}) INFO .*\\R"),
                line);
    }

    @Test
    void jsonWritesAnObjectPerEventAndLevelsApplyByLoggerName() {
        LogOutput.apply(
                context,
                new LoggingSettings(
                        LoggingSettings.Format.JSON, "WARN", Map.of("vn.tracuu.smpp", "DEBUG", "io.vertx", "ERROR")));
        String line =
                written("vn.tracuu.smpp.session.SmppSession", Level.DEBUG, "bind slot {} closed: {}", 2, "silent");
        assertFalse(line.strip().contains("\n"), "one line: " + line);
        JsonObject event = new JsonObject(line);
        assertEquals("DEBUG", event.getString("level"));
        assertEquals("vn.tracuu.smpp.session.SmppSession", event.getString("loggerName"));
        assertEquals("bind slot 2 closed: silent", event.getString("formattedMessage"));
        assertTrue(event.getLong("timestamp") > 0);

        assertFalse(context.getLogger("vn.tracuu.lookup.LookupService").isInfoEnabled(), "vn.tracuu at WARN");
        assertTrue(context.getLogger("vn.tracuu.smpp.session.SmppSession").isDebugEnabled(), "vn.tracuu.smpp at DEBUG");
        assertFalse(context.getLogger("io.vertx.core.net.NetServer").isWarnEnabled(), "io.vertx at ERROR");
    }

    @Test
    void jsonLinesNameTheirNodeOperatorBindAndRequestAndTheNextLineNoneOfThem() {
        context.putProperty("tracuu.node", "node-2");
        LogOutput.apply(context, new LoggingSettings(LoggingSettings.Format.JSON, "INFO", Map.of()));
        String[] lines = new String[2];
        LogContext.nameNode("node-2");
        LogContext.request(
                42L, "viettel", () -> lines[0] = written("vn.tracuu.core.outbox.OutboxSender", Level.WARN, "reply 42"));
        LogContext.bind(
                "mobifone",
                "in-3",
                () -> lines[1] = written("vn.tracuu.smpp.session.SmppSession", Level.INFO, "link closed"));
        JsonObject request = new JsonObject(lines[0]);
        assertEquals(
                Map.of("request", "42", "operator", "viettel", "node", "node-2"),
                request.getJsonObject("mdc").getMap());
        assertEquals(
                "node-2",
                request.getJsonObject("context").getJsonObject("properties").getString("tracuu.node"));
        assertEquals(
                Map.of("operator", "mobifone", "bind", "in-3", "node", "node-2"),
                new JsonObject(lines[1]).getJsonObject("mdc").getMap());
        JsonObject after = new JsonObject(written("vn.tracuu.app.Gateway", Level.INFO, "stopped"));
        assertTrue(after.getJsonObject("mdc", new JsonObject()).isEmpty(), after.encode());
    }
}
