package vn.tracuu.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.jsmpp.bean.BindType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.tracuu.core.domain.TextNormalizer;
import vn.tracuu.core.lookup.ReplyText;
import vn.tracuu.simulators.PhoneSimulator;
import vn.tracuu.simulators.PhoneSimulator.Reply;
import vn.tracuu.smpp.session.PasswordCheck;

/** A citizen texting the gateway through an operator bound with jsmpp, against the real database. */
class GatewayEndToEndTest {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String SHORT_CODE = "8088";
    // a verified, alive citizen with every kind of relation, on each operator
    private static final String SUBJECT = "SELECT s.msisdn, s.personal_id, c.full_name FROM subscribers.subscriber s "
            + "JOIN population.citizen c USING (personal_id) WHERE s.status = 'verified' AND NOT c.deceased AND s.operator_id = ? "
            + "AND s.sim_changed_at < now() - interval '30 days' "
            + "AND EXISTS (SELECT 1 FROM population.relation r WHERE r.personal_id = c.personal_id AND r.kind = 'spouse') "
            + "AND EXISTS (SELECT 1 FROM population.residence r WHERE r.personal_id = c.personal_id AND r.kind = 'temporary') "
            + "ORDER BY s.msisdn LIMIT 1";

    private static TestGateway gateway;
    private static PhoneSimulator viettel;

    @BeforeAll
    static void start() throws Exception {
        String hash = PasswordCheck.hash(TestGateway.DEMO_PASSWORD);
        gateway = new TestGateway(
                3000,
                String.join(
                        "\n",
                        "operators:",
                        "  - id: viettel",
                        "    password: \"" + hash + "\"",
                        "  - id: vinaphone",
                        "    password: \"" + hash + "\"",
                        "    alphabet: ucs2",
                        "  - id: mobifone",
                        "    password: \"" + hash + "\"",
                        "    concatenation: sar"));
        viettel = gateway.phone("viettel", BindType.BIND_TRX);
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close();
    }

    private static Reply text(PhoneSimulator phone, String msisdn, String text) throws Exception {
        phone.send(msisdn, SHORT_CODE, text);
        Reply reply = phone.awaitReply(msisdn, WAIT);
        assertNotNull(reply, "a reply to \"" + text + "\" arrives");
        return reply;
    }

    private static String fold(String s) {
        return TextNormalizer.stripDiacritics(s);
    }

    @Test
    void aVerifiedNumberGetsItsOwnBasicRecordWithTheIdMasked() throws Exception {
        List<String> subject = gateway.row(SUBJECT, "viettel");
        String msisdn = subject.get(0);
        String id = subject.get(1);
        Reply reply = text(viettel, msisdn, "TC");
        assertTrue(reply.text().contains(fold(subject.get(2))), reply.text());
        assertTrue(reply.text().contains("********" + id.substring(8)), reply.text());
        assertFalse(reply.text().contains(id), "the full personal ID is never sent");
        assertEquals(0, reply.segments().get(0).dataCoding(), "GSM-7 by default");

        // the last four digits of the bound ID typed in the text give the same answer
        Reply withId = text(viettel, msisdn, "tc  " + id.substring(8));
        assertEquals(reply.text(), withId.text());
    }

    @Test
    void eachTopicAnswersWithItsOwnFields() throws Exception {
        List<String> subject = gateway.row(SUBJECT, "viettel");
        String msisdn = subject.get(0);
        String id = subject.get(1);
        String permanent = gateway.row(
                        "SELECT address FROM population.residence WHERE personal_id = ? AND kind = 'permanent'", id)
                .get(0);
        String temporary = gateway.row(
                        "SELECT address FROM population.residence WHERE personal_id = ? AND kind = 'temporary'", id)
                .get(0);
        String father = gateway.row(
                        "SELECT relative_name FROM population.relation WHERE personal_id = ? AND kind = 'father'", id)
                .get(0);
        String mother = gateway.row(
                        "SELECT relative_name FROM population.relation WHERE personal_id = ? AND kind = 'mother'", id)
                .get(0);
        String spouse = gateway.row(
                        "SELECT relative_name FROM population.relation WHERE personal_id = ? AND kind = 'spouse'", id)
                .get(0);
        String blood = gateway.row(
                        "SELECT coalesce(blood_type, 'khong ro') FROM population.citizen WHERE personal_id = ?", id)
                .get(0);

        String residence = text(viettel, msisdn, "TC CT").text();
        assertTrue(residence.contains(fold(permanent)) && residence.contains(fold(temporary)), residence);
        assertFalse(residence.contains(fold(father)), "residence says nothing of parents");

        String parents = text(viettel, msisdn, "Tc Cm").text();
        assertTrue(parents.contains(fold(father)) && parents.contains(fold(mother)), parents);
        assertFalse(parents.contains(fold(permanent)));

        String married = text(viettel, msisdn, "TC VỢ CHỒNG").text();
        assertTrue(married.contains(fold(spouse)), married);

        String bloodType = text(viettel, msisdn, "tc nm").text();
        assertTrue(bloodType.contains("Nhom mau: " + blood), bloodType);

        String representative = text(viettel, msisdn, "TC DD").text();
        assertTrue(representative.contains("Nguoi dai dien hop phap: khong co thong tin"), representative);
    }

    @Test
    void mismatchedUnverifiedAndDeceasedAllGetTheSameRefusal() throws Exception {
        String msisdn = gateway.row(SUBJECT, "viettel").get(0);
        String id = gateway.row(SUBJECT, "viettel").get(1);
        String wrongLastFour = id.endsWith("0000") ? "1111" : "0000";
        String unverified = gateway.row("SELECT msisdn FROM subscribers.subscriber WHERE status = 'unverified' "
                        + "AND operator_id = 'viettel' ORDER BY msisdn LIMIT 1")
                .get(0);
        String deceased = gateway.row(
                        "SELECT s.msisdn FROM subscribers.subscriber s JOIN population.citizen c USING (personal_id) "
                                + "WHERE s.status = 'verified' AND c.deceased AND s.operator_id = 'viettel' ORDER BY msisdn LIMIT 1")
                .get(0);

        Reply mismatch = text(viettel, msisdn, "TC " + wrongLastFour);
        Reply notVerified = text(viettel, unverified, "TC");
        Reply dead = text(viettel, deceased, "TC CT");
        Reply unknown = text(viettel, "84399999999", "TC");
        for (Reply r : List.of(mismatch, notVerified, dead, unknown)) {
            assertEquals(fold(ReplyText.REFUSAL), r.text());
            assertEquals(mismatch.segments().size(), r.segments().size());
        }
    }

    @Test
    void helpAndSyntaxErrorsAreDistinctFromTheRefusal() throws Exception {
        String msisdn = gateway.row(SUBJECT, "viettel").get(0);
        assertEquals(fold(ReplyText.HELP), text(viettel, msisdn, "HD").text());
        assertEquals(fold(ReplyText.HELP), text(viettel, msisdn, "xin chao").text());
        assertEquals(
                fold(ReplyText.INVALID_ID), text(viettel, msisdn, "TC 12345").text());
    }

    @Test
    void aLongReplyArrivesAsNumberedSegmentsThatReassemble() throws Exception {
        List<String> subject = gateway.row(SUBJECT, "viettel");
        Reply basic = text(viettel, subject.get(0), "TC");
        assertTrue(basic.segments().size() >= 2, "the basic record takes more than one SMS");
        int reference = basic.segments().get(0).reference();
        StringBuilder joined = new StringBuilder();
        for (int i = 0; i < basic.segments().size(); i++) {
            PhoneSimulator.Segment s = basic.segments().get(i);
            assertEquals(i + 1, s.number());
            assertEquals(basic.segments().size(), s.total());
            assertEquals(reference, s.reference());
            assertEquals(0x40, s.esmClass() & 0x40, "UDH indicator set");
            assertTrue(s.text().length() <= 153);
            joined.append(s.text());
        }
        assertTrue(joined.toString().startsWith("Ho ten: " + fold(subject.get(2)) + "."), joined.toString());
        assertTrue(joined.toString().endsWith("Quoc tich: Viet Nam."), joined.toString());
    }

    @Test
    void anOperatorConfiguredForUcs2GetsDiacritics() throws Exception {
        List<String> subject = gateway.row(SUBJECT, "vinaphone");
        PhoneSimulator vinaphone = gateway.phone("vinaphone", BindType.BIND_TRX);
        Reply reply = text(vinaphone, subject.get(0), "TC");
        assertEquals(8, reply.segments().get(0).dataCoding());
        assertTrue(reply.text().contains(subject.get(2)), "name with diacritics: " + reply.text());
        assertTrue(reply.text().contains("Ngày sinh"), reply.text());
    }

    @Test
    void anOperatorConfiguredForSarGetsTheNumberingInTlvs() throws Exception {
        List<String> subject = gateway.row(SUBJECT, "mobifone");
        PhoneSimulator mobifone = gateway.phone("mobifone", BindType.BIND_TRX);
        Reply reply = text(mobifone, subject.get(0), "TC");
        assertTrue(reply.segments().size() > 1, "the basic record takes two SMS");
        assertEquals(0, reply.segments().get(0).esmClass() & 0x40, "no UDH with SAR");
        assertTrue(reply.text().contains(fold(subject.get(2))));
    }

    @Test
    void aNumberRegisteredWithAnotherOperatorIsRefusedOnThisOne() throws Exception {
        String mobifoneNumber = gateway.row(SUBJECT, "mobifone").get(0);
        assertEquals(
                fold(ReplyText.REFUSAL), text(viettel, mobifoneNumber, "TC").text());
    }
}
