package vn.tracuu.app.contract;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.vertx.core.Vertx;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import vn.tracuu.core.port.out.PopulationDirectory;
import vn.tracuu.core.port.out.SubscriberRegistry;
import vn.tracuu.http.HttpBackendOptions;
import vn.tracuu.http.HttpPopulationDirectory;
import vn.tracuu.http.HttpSubscriberRegistry;
import vn.tracuu.http.SimChangeMode;

class HttpBackEndContractTest extends BackEndContract {

    private static WireMockServer api;
    private static Vertx vertx;
    private static HttpPopulationDirectory population;
    private static HttpSubscriberRegistry registry;

    @BeforeAll
    static void start() {
        api = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        api.start();
        ContractFixture.stub(api);
        vertx = Vertx.vertx();
        String base = "http://127.0.0.1:" + api.port();
        population = new HttpPopulationDirectory(vertx, options(base + "/population"));
        registry = new HttpSubscriberRegistry(
                vertx,
                options(base + "/registry"),
                options(base + "/registry"),
                SimChangeMode.RETRIEVE_DATE,
                Duration.ofHours(72));
    }

    private static HttpBackendOptions options(String url) {
        return new HttpBackendOptions(url, "Authorization", "Bearer test-token", Duration.ofSeconds(2), 4);
    }

    @org.junit.jupiter.api.Test
    void everyCallCarriesTheConfiguredCredential() throws Exception {
        registry()
                .byMsisdn(vn.tracuu.core.domain.Msisdn.of(ContractFixture.VERIFIED))
                .await(10, java.util.concurrent.TimeUnit.SECONDS);
        api.verify(com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor(
                        com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching("/registry/.*"))
                .withHeader(
                        "Authorization", com.github.tomakehurst.wiremock.client.WireMock.equalTo("Bearer test-token")));
        org.junit.jupiter.api.Assertions.assertTrue(api
                .findAll(com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor(
                        com.github.tomakehurst.wiremock.client.WireMock.anyUrl()))
                .stream()
                .allMatch(r -> "Bearer test-token".equals(r.getHeader("Authorization"))));
    }

    @AfterAll
    static void stop() {
        population.close();
        registry.close();
        vertx.close();
        api.stop();
    }

    @Override
    PopulationDirectory population() {
        return population;
    }

    @Override
    SubscriberRegistry registry() {
        return registry;
    }
}
