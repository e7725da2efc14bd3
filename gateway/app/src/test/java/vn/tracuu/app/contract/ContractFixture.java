package vn.tracuu.app.contract;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** The same few records, loaded into PostgreSQL or served by WireMock, for the contract suite. */
final class ContractFixture {

    static final String LIVING = "001087012345";
    static final String DECEASED = "036150000001";
    static final String UNKNOWN_ID = "001087099999";
    static final String VERIFIED = "84912345678";
    static final String UNVERIFIED = "84912345679";
    static final String UNKNOWN_SIM = "84912345670";
    static final String UNKNOWN_NUMBER = "84987654321";
    static final String SIM_CHANGED = "2023-06-01T00:00:00Z";
    static final String VERIFIED_AT = "2024-01-01T00:00:00Z";

    private ContractFixture() {}

    static void load(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("INSERT INTO population.citizen VALUES ('" + LIVING
                    + "', 'Nguyễn Văn An', '1987-03-12', 'M', 'Hà Nội', 'Nam Định', "
                    + "'Kinh', 'Việt Nam', 'O+', false, null), ('" + DECEASED
                    + "', 'Trần Văn Cụ', '1950-01-01', 'M', 'Nam Định', 'Nam Định', "
                    + "'Kinh', 'Việt Nam', null, true, '2020-01-01')");
            s.execute("INSERT INTO population.residence VALUES ('" + LIVING
                    + "', 'permanent', 'Số 1 Lê Lợi, Hà Nội', '2005-03-12'), " + "('" + LIVING
                    + "', 'temporary', 'Số 7 Quang Trung, Huế', null)");
            s.execute("INSERT INTO population.relation VALUES ('" + LIVING
                    + "', 'father', '001060000001', 'Nguyễn Văn Bình', 1960), "
                    + "('" + LIVING + "', 'mother', '001162000002', 'Trần Thị Cúc', 1962), "
                    + "('" + LIVING + "', 'spouse', '001190000003', 'Lê Thị Dung', null)");
            s.execute("INSERT INTO subscribers.subscriber VALUES ('" + VERIFIED + "', '" + LIVING
                    + "', 'viettel', 'verified', '"
                    + VERIFIED_AT + "', '" + SIM_CHANGED + "'), ('" + UNVERIFIED + "', '" + LIVING
                    + "', 'viettel', 'unverified', null, '"
                    + SIM_CHANGED + "'), ('" + UNKNOWN_SIM + "', '" + DECEASED + "', 'mobifone', 'verified', '"
                    + VERIFIED_AT + "', null)");
        }
    }

    static void stub(WireMockServer api) {
        JsonObject living = new JsonObject().put("personalId", LIVING).put("deceased", false);
        group(
                api,
                LIVING,
                "basic",
                living.copy()
                        .put(
                                "basic",
                                new JsonObject()
                                        .put("fullName", "Nguyễn Văn An")
                                        .put("birthDate", "1987-03-12")
                                        .put("gender", "M")
                                        .put("birthRegistrationPlace", "Hà Nội")
                                        .put("hometown", "Nam Định")
                                        .put("ethnicity", "Kinh")
                                        .put("nationality", "Việt Nam")));
        group(
                api,
                LIVING,
                "residence",
                living.copy()
                        .put(
                                "residence",
                                new JsonArray()
                                        .add(new JsonObject()
                                                .put("kind", "permanent")
                                                .put("address", "Số 1 Lê Lợi, Hà Nội")
                                                .put("since", "2005-03-12"))
                                        .add(new JsonObject()
                                                .put("kind", "temporary")
                                                .put("address", "Số 7 Quang Trung, Huế")
                                                .putNull("since"))));
        JsonArray relations = new JsonArray()
                .add(new JsonObject()
                        .put("kind", "father")
                        .put("fullName", "Nguyễn Văn Bình")
                        .put("birthYear", 1960))
                .add(new JsonObject()
                        .put("kind", "mother")
                        .put("fullName", "Trần Thị Cúc")
                        .put("birthYear", 1962))
                .add(new JsonObject().put("kind", "spouse").put("fullName", "Lê Thị Dung"));
        for (String g : new String[] {"parents", "spouse", "legalRepresentative"}) {
            // a real API may send every relation whatever the group: the adapter keeps only the group's
            group(api, LIVING, g, living.copy().put("relations", relations));
        }
        group(api, LIVING, "bloodType", living.copy().put("bloodType", "O+"));
        JsonObject deceased = new JsonObject().put("personalId", DECEASED).put("deceased", true);
        group(
                api,
                DECEASED,
                "basic",
                deceased.copy()
                        .put(
                                "basic",
                                new JsonObject()
                                        .put("fullName", "Trần Văn Cụ")
                                        .put("birthDate", "1950-01-01")
                                        .put("gender", "M")));
        group(api, DECEASED, "bloodType", deceased.copy().putNull("bloodType"));
        api.stubFor(get(urlPathMatching("/population/citizens/.*"))
                .atPriority(10)
                .willReturn(aResponse().withStatus(404)));

        subscriber(api, VERIFIED, LIVING, "viettel", "verified", VERIFIED_AT, SIM_CHANGED);
        subscriber(api, UNVERIFIED, LIVING, "viettel", "unverified", null, SIM_CHANGED);
        subscriber(api, UNKNOWN_SIM, DECEASED, "mobifone", "verified", VERIFIED_AT, null);
        api.stubFor(get(urlPathEqualTo("/registry/subscribers"))
                .withQueryParam("personalId", equalTo(LIVING))
                .atPriority(1)
                .willReturn(okJson(new JsonObject()
                        .put(
                                "subscribers",
                                new io.vertx.core.json.JsonArray()
                                        .add(new JsonObject()
                                                .put("msisdn", VERIFIED)
                                                .put("personalId", LIVING)
                                                .put("operator", "viettel")
                                                .put("status", "verified")
                                                .put("verifiedAt", VERIFIED_AT))
                                        .add(new JsonObject()
                                                .put("msisdn", UNVERIFIED)
                                                .put("personalId", LIVING)
                                                .put("operator", "viettel")
                                                .put("status", "unverified")))
                        .encode())));
        api.stubFor(any(urlPathMatching("/registry/.*"))
                .atPriority(10)
                .willReturn(aResponse().withStatus(404)));
    }

    private static void group(WireMockServer api, String id, String group, JsonObject body) {
        api.stubFor(get(urlPathEqualTo("/population/citizens/" + id))
                .withQueryParam("groups", equalTo(group))
                .atPriority(1)
                .willReturn(okJson(body.encode())));
    }

    private static void subscriber(
            WireMockServer api,
            String msisdn,
            String id,
            String operator,
            String status,
            String verifiedAt,
            String simChanged) {
        JsonObject body = new JsonObject()
                .put("msisdn", msisdn)
                .put("personalId", id)
                .put("operator", operator)
                .put("status", status);
        if (verifiedAt != null) {
            body.put("verifiedAt", verifiedAt);
        }
        api.stubFor(get(urlPathEqualTo("/registry/subscribers/" + msisdn))
                .atPriority(1)
                .willReturn(okJson(body.encode())));
        api.stubFor(post(urlPathEqualTo("/registry/retrieve-date"))
                .withRequestBody(equalToJson("{\"phoneNumber\":\"+" + msisdn + "\"}"))
                .atPriority(1)
                .willReturn(okJson(
                        new JsonObject().put("latestSimChange", simChanged).encode())));
    }
}
