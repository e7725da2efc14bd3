package vn.tracuu.app.config;

import java.util.Map;
import vn.tracuu.app.config.GatewayConfig.Backend;
import vn.tracuu.app.config.GatewayConfig.BackendSettings;
import vn.tracuu.core.guard.GuardOptions;
import vn.tracuu.http.HttpBackendOptions;
import vn.tracuu.http.SimChangeMode;

/** The {@code population} and {@code subscribers} sections: which back-end, its HTTP settings, its guard. */
final class BackendSection {

    private BackendSection() {}

    static BackendSettings read(ConfigNode section, Map<String, String> env, boolean withSimSwap) {
        Backend backend = section.choice("backend", Backend.class);
        ConfigNode http = section.child("http");
        String url = http.string("url").trim();
        if (backend == Backend.HTTP && !url.matches("https?://.+")) {
            throw new ConfigException(http.key("url") + ": must be an http:// or https:// URL when "
                    + section.key("backend") + " is http");
        }
        String authValue = http.string("auth-value").isBlank() ? "" : SecretReference.resolve(http, "auth-value", env);
        HttpBackendOptions httpOptions = http.build(() -> new HttpBackendOptions(
                url,
                http.nonEmpty("auth-header"),
                authValue,
                http.duration("connect-timeout"),
                http.integer("max-connections")));
        HttpBackendOptions simSwap = null;
        SimChangeMode mode = null;
        if (withSimSwap) {
            String simUrl = http.string("sim-swap-url").trim();
            simSwap = new HttpBackendOptions(
                    simUrl.isEmpty() ? url : simUrl,
                    httpOptions.authHeader(),
                    httpOptions.authValue(),
                    httpOptions.connectTimeout(),
                    httpOptions.maxConnections());
            mode = http.choice("sim-change-mode", SimChangeMode.class);
        }
        ConfigNode g = section.child("guard");
        GuardOptions guard = g.build(() -> new GuardOptions(
                g.integer("permits-per-second"),
                g.durationOrZero("max-wait"),
                g.integer("max-concurrent"),
                g.duration("call-timeout"),
                g.integer("failure-rate-percent"),
                g.duration("slow-call-threshold"),
                g.integer("slow-call-rate-percent"),
                g.integer("minimum-calls"),
                g.duration("open-duration"),
                g.integer("max-retries"),
                g.duration("retry-backoff"),
                g.durationOrZero("warm-up")));
        return new BackendSettings(backend, httpOptions, simSwap, mode, guard);
    }
}
