package vn.tracuu.app;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jsmpp.bean.BindType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import vn.tracuu.core.domain.TextNormalizer;
import vn.tracuu.core.lookup.ReplyText;
import vn.tracuu.simulators.PhoneSimulator;
import vn.tracuu.simulators.PhoneSimulator.Reply;

/**
 * The population and subscriber back-ends as HTTP APIs, WireMock standing in for them, and a
 * citizen texting through SMPP. Each test restarts the gateway (fresh guards) on the same database
 * and asserts what the phone receives: every request gets exactly one reply.
 */
class HttpBackendsEndToEndTest {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String ID = "001087012345";
    private static final String BUSY = TextNormalizer.stripDiacritics(ReplyText.BUSY);
    private static final String REFUSAL = TextNormalizer.stripDiacritics(ReplyText.REFUSAL);

    private static WireMockServer api;
    private static TestGateway gateway;
    private static int nextNumber;
    private PhoneSimulator phone;

    @BeforeAll
    static void start() throws Exception {
        api = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        api.start();
        gateway = new TestGateway(200, backends(api.port(), ""));
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close();
        api.stop();
    }

    @BeforeEach
    void fresh() {
        api.resetAll();
    }

    /** Both ports over HTTP at {@code port}; {@code populationGuard} lines go under population.guard. */
    private static String backends(int port, String populationGuard) {
        return String.join(
                "\n",
                "population:",
                "  backend: http",
                "  http:",
                "    url: http://127.0.0.1:" + port + "/population/v1",
                "  guard:",
                // generous for a cold first call on a busy machine; the slow answers below are slower still
                "    call-timeout: 1500ms",
                "    max-wait: 2s",
                "    minimum-calls: 4",
                "    open-duration: 1s",
                "    retry-backoff: 50ms",
                populationGuard,
                "subscribers:",
                "  backend: http",
                "  http:",
                "    url: http://127.0.0.1:" + api.port() + "/registry/v1",
                "    sim-swap-url: http://127.0.0.1:" + api.port() + "/sim-swap/v0");
    }

    private void restart(int populationPort, String populationGuard) throws Exception {
        gateway.reconfigure(backends(populationPort, populationGuard));
        phone = gateway.phone("viettel", BindType.BIND_TRX);
    }

    private static synchronized String number() {
        return "8491200" + String.format("%04d", nextNumber++);
    }

    /** A verified viettel number bound to ID, SIM unchanged for a year. */
    private static String subscriber() {
        String msisdn = number();
        api.stubFor(get(urlPathEqualTo("/registry/v1/subscribers/" + msisdn))
                .willReturn(okJson("{\"msisdn\":\"" + msisdn + "\",\"personalId\":\"" + ID
                        + "\",\"operator\":\"viettel\",\"status\":\"verified\","
                        + "\"verifiedAt\":\"2024-01-01T00:00:00Z\",\"unknownField\":[1,2,3]}")));
        api.stubFor(post(urlPathEqualTo("/sim-swap/v0/retrieve-date"))
                .willReturn(okJson("{\"latestSimChange\":\"2025-01-01T00:00:00Z\"}")));
        return msisdn;
    }

    private static String citizen() {
        return "{\"personalId\":\"" + ID
                + "\",\"deceased\":false,\"basic\":{\"fullName\":\"Nguyễn Văn An\",\"birthDate\":\"1987-03-12\","
                + "\"gender\":\"M\",\"hometown\":\"Nam Định\",\"nationality\":\"Việt Nam\"}}";
    }

    private Reply text(String msisdn, String text) throws Exception {
        phone.send(msisdn, "8088", text);
        Reply reply = phone.awaitReply(msisdn, WAIT);
        assertNotNull(reply, "a reply to \"" + text + "\"");
        return reply;
    }

    private static int populationCalls() {
        return api.findAll(getRequestedFor(urlPathMatching("/population/v1/citizens/.*")))
                .size();
    }

    @Test
    void aCitizenIsAnsweredFromTheHttpApisAskingOnlyForTheTopicsGroup() throws Exception {
        restart(api.port(), "");
        String msisdn = subscriber();
        api.stubFor(get(urlPathEqualTo("/population/v1/citizens/" + ID))
                .withQueryParam("groups", equalTo("basic"))
                .willReturn(okJson(citizen())));
        Reply reply = text(msisdn, "TC");
        assertTrue(reply.text().startsWith("Ho ten: Nguyen Van An. So DD: ********2345"), reply.text());
        api.verify(postRequestedFor(urlPathEqualTo("/sim-swap/v0/retrieve-date"))
                .withRequestBody(equalToJson("{\"phoneNumber\":\"+" + msisdn + "\"}")));
    }

    @Test
    void notFoundIsTheUniformRefusal() throws Exception {
        restart(api.port(), "");
        String msisdn = subscriber();
        api.stubFor(get(urlPathEqualTo("/population/v1/citizens/" + ID))
                .willReturn(aResponse().withStatus(404)));
        assertEquals(REFUSAL, text(msisdn, "TC").text());
        assertEquals(REFUSAL, text(number(), "TC").text(), "a number the registry answers 404 for");
    }

    @Test
    void aRecentSimChangeFromTheCamaraEndpointIsRefusedWithoutAPopulationCall() throws Exception {
        restart(api.port(), "");
        String msisdn = subscriber();
        api.stubFor(post(urlPathEqualTo("/sim-swap/v0/retrieve-date"))
                .willReturn(okJson(
                        "{\"latestSimChange\":\"" + java.time.Instant.now().minusSeconds(3600) + "\"}")));
        assertEquals(REFUSAL, text(msisdn, "TC").text());
        assertEquals(0, populationCalls());
    }

    @Test
    void latencyAboveTheTimeoutAndASlowTrickleAreBusy() throws Exception {
        restart(api.port(), "");
        String msisdn = subscriber();
        api.stubFor(get(urlPathEqualTo("/population/v1/citizens/" + ID))
                .withQueryParam("groups", equalTo("basic"))
                .willReturn(okJson(citizen()).withFixedDelay(4000)));
        assertEquals(BUSY, text(msisdn, "TC").text());
        api.stubFor(get(urlPathEqualTo("/population/v1/citizens/" + ID))
                .withQueryParam("groups", equalTo("bloodType"))
                .willReturn(okJson("{\"personalId\":\"" + ID + "\",\"deceased\":false,\"bloodType\":\"O+\"}")
                        .withChunkedDribbleDelay(20, 5000)));
        assertEquals(BUSY, text(msisdn, "TC NM").text());
    }

    @Test
    void malformedAnswersAreBusyNeverAHalfFilledRecord() throws Exception {
        restart(api.port(), "");
        String msisdn = subscriber();
        api.stubFor(get(urlPathEqualTo("/population/v1/citizens/" + ID))
                .withQueryParam("groups", equalTo("basic"))
                .willReturn(okJson("{\"personalId\":\"" + ID + "\",\"deceased\":false,\"basic\":{\"fullName\":")));
        assertEquals(BUSY, text(msisdn, "TC").text());
        api.stubFor(get(urlPathEqualTo("/population/v1/citizens/" + ID))
                .withQueryParam("groups", equalTo("basic"))
                .willReturn(okJson("{\"personalId\":\"" + ID
                        + "\",\"deceased\":false,\"basic\":{\"birthDate\":\"1987-03-12\",\"gender\":\"M\"}}")));
        assertEquals(BUSY, text(msisdn, "TC").text(), "fullName missing");
        api.stubFor(get(urlPathEqualTo("/population/v1/citizens/" + ID))
                .withQueryParam("groups", equalTo("basic"))
                .willReturn(okJson(citizen().replace(ID, "001087099999"))));
        assertEquals(BUSY, text(msisdn, "TC").text(), "an answer about another person");
    }

    @Test
    void aTooManyRequestsAnswerIsRetriedAfterItsRetryAfter() throws Exception {
        restart(api.port(), "");
        String msisdn = subscriber();
        api.stubFor(get(urlPathEqualTo("/population/v1/citizens/" + ID))
                .inScenario("quota")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "0"))
                .willSetStateTo("allowed"));
        api.stubFor(get(urlPathEqualTo("/population/v1/citizens/" + ID))
                .inScenario("quota")
                .whenScenarioStateIs("allowed")
                .willReturn(okJson(citizen())));
        assertTrue(text(msisdn, "TC").text().startsWith("Ho ten: Nguyen Van An"));
        assertEquals(2, populationCalls());
    }

    @Test
    void aRefusedConnectionIsRetriedThenBusy() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        restart(closed, "");
        assertEquals(BUSY, text(subscriber(), "TC").text());
        assertTrue(gateway.gateway().guards().get(0).retried() >= 1, "connection refused is transient");
    }

    @Test
    void aBurstOfServerErrorsOpensTheCircuitWhichRecovers() throws Exception {
        restart(api.port(), "");
        String msisdn = subscriber();
        api.stubFor(get(urlPathEqualTo("/population/v1/citizens/" + ID))
                .willReturn(aResponse().withStatus(500)));
        for (int i = 0; i < 4; i++) {
            assertEquals(BUSY, text(msisdn, "TC").text());
        }
        assertEquals(4, populationCalls());
        assertEquals("OPEN", gateway.gateway().guards().get(0).circuitState());
        api.stubFor(get(urlPathEqualTo("/population/v1/citizens/" + ID)).willReturn(okJson(citizen())));
        assertEquals(BUSY, text(msisdn, "TC").text(), "the open circuit answers at once");
        assertEquals(4, populationCalls(), "without calling the back-end");
        Reply recovered = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            recovered = text(msisdn, "TC");
            if (!recovered.text().equals(BUSY)) {
                break;
            }
        }
        assertNotNull(recovered);
        assertTrue(recovered.text().startsWith("Ho ten: Nguyen Van An"), "half-open after open-duration, then closed");
    }

    @Test
    void aBurstOfServiceUnavailableIsRetriedThenOpensTheCircuitToo() throws Exception {
        restart(api.port(), "");
        String msisdn = subscriber();
        api.stubFor(get(urlPathEqualTo("/population/v1/citizens/" + ID))
                .willReturn(aResponse().withStatus(503)));
        for (int i = 0;
                i < 3 && !"OPEN".equals(gateway.gateway().guards().get(0).circuitState());
                i++) {
            assertEquals(BUSY, text(msisdn, "TC").text());
        }
        assertEquals("OPEN", gateway.gateway().guards().get(0).circuitState());
        assertTrue(gateway.gateway().guards().get(0).retried() >= 1, "503 is transient: retried before giving up");
        int calls = populationCalls();
        assertEquals(BUSY, text(msisdn, "TC").text());
        assertEquals(calls, populationCalls(), "the open circuit spares the back-end");
    }

    @Test
    void theQuotaHoldsUnderABurstAndEveryRequestIsAnswered() throws Exception {
        int perSecond = 5;
        // a request waiting longer than recovery-grace for its permits is decided again by the
        // recovery scan, a second back-end call this test would count: the grace outlasts max-wait
        restart(api.port(), "    permits-per-second: " + perSecond + "\nlookup:\n  recovery-grace: 5s");
        api.stubFor(get(urlPathEqualTo("/population/v1/citizens/" + ID)).willReturn(okJson(citizen())));
        List<String> numbers = new ArrayList<>();
        for (int i = 0; i < 5 * perSecond; i++) {
            numbers.add(subscriber());
        }
        // all at once, as an operator's window sends them: an acknowledgement waits for a quick decision
        ExecutorService senders = Executors.newFixedThreadPool(numbers.size());
        try {
            List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
            for (String msisdn : numbers) {
                sent.add(senders.submit(() -> {
                    phone.send(msisdn, "8088", "TC");
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> f : sent) {
                f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            }
        } finally {
            senders.shutdownNow();
        }
        int answered = 0;
        int busy = 0;
        for (String msisdn : numbers) {
            Reply r = phone.awaitReply(msisdn, WAIT);
            assertNotNull(r, "every request is answered");
            answered += r.text().startsWith("Ho ten") ? 1 : 0;
            busy += r.text().equals(BUSY) ? 1 : 0;
        }
        assertEquals(numbers.size(), answered + busy);
        assertTrue(busy > 0, "past the quota and its bounded wait: busy");
        List<Long> times = api.findAll(getRequestedFor(urlPathMatching("/population/v1/citizens/.*"))).stream()
                .map(r -> r.getLoggedDate().getTime())
                .sorted()
                .toList();
        assertEquals(answered, times.size());
        int most = 0;
        for (int i = 0; i < times.size(); i++) {
            int inWindow = 0;
            for (long t : times) {
                inWindow += t >= times.get(i) && t < times.get(i) + 1000 ? 1 : 0;
            }
            most = Math.max(most, inWindow);
        }
        System.out.printf(
                "quota %d/s, burst of %d: %d answered, %d busy, at most %d back-end calls in any second%n",
                perSecond, numbers.size(), answered, busy, most);
        // Permits are spaced 1/N s apart, but the first is free at once and the second comes at the
        // next period's boundary: N + 1 leave the gateway within a second. The back end may see one
        // more: the first calls reach it on new connections while it still answers the burst's registry
        // and SIM-swap calls, tens of milliseconds later than the calls after them (7 of a quota of 5
        // in one run of six here, and once in CI).
        assertTrue(most <= perSecond + 2, most + " calls within one second");
    }
}
