package vn.tracuu.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import java.util.Iterator;
import java.util.Map;
import org.slf4j.LoggerFactory;
import vn.tracuu.app.config.LoggingSettings;

/**
 * Applies the {@code logging} section to Logback, which {@code logback.xml} set up as text on
 * stderr: the JSON format swaps every root appender's encoder for Logback's own
 * {@link JsonEncoder} (one object per line), and the levels are set by logger name. The
 * {@code run} command applies it once the config is read; events before that are text.
 */
public final class LogOutput {

    private LogOutput() {}

    public static void apply(LoggingSettings settings) {
        apply((LoggerContext) LoggerFactory.getILoggerFactory(), settings);
    }

    /** Names the node in every event: the text pattern's {@code %property}, the JSON's context properties. */
    static void nameNode(String property, String nodeId) {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.putProperty(property, nodeId);
        }
    }

    static void apply(LoggerContext context, LoggingSettings settings) {
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        if (settings.format() == LoggingSettings.Format.JSON) {
            for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
                if (it.next() instanceof OutputStreamAppender<ILoggingEvent> appender) {
                    JsonEncoder json = new JsonEncoder();
                    json.setContext(context);
                    // the message as read, not its pattern and arguments apart
                    json.setWithFormattedMessage(true);
                    json.setWithMessage(false);
                    json.setWithArguments(false);
                    json.start();
                    appender.stop();
                    appender.setEncoder(json);
                    appender.start();
                }
            }
        }
        context.getLogger("vn.tracuu").setLevel(Level.toLevel(settings.level()));
        for (Map.Entry<String, String> e : settings.levels().entrySet()) {
            context.getLogger(e.getKey()).setLevel(Level.toLevel(e.getValue()));
        }
    }
}
