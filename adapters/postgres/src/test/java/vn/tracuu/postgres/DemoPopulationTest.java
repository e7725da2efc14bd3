package vn.tracuu.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.tracuu.core.domain.Gender;
import vn.tracuu.core.domain.PersonalId;
import vn.tracuu.postgres.demo.DemoPopulation;

class DemoPopulationTest {

    private static TestDatabase db;

    @BeforeAll
    static void seed() throws Exception {
        db = TestDatabase.start();
        assertTrue(DemoPopulation.isEmpty(db.options()));
        DemoPopulation.seed(db.options(), 3000, DemoPopulation.DEFAULT_SEED);
    }

    @AfterAll
    static void stop() throws Exception {
        db.close();
    }

    @Test
    void everyIdAgreesWithTheRecordsGenderAndBirthYear() throws Exception {
        try (Connection c = connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT personal_id, gender, birth_date FROM population.citizen")) {
            int rows = 0;
            while (rs.next()) {
                rows++;
                PersonalId id =
                        PersonalId.parse(rs.getString(1)).orElseThrow(() -> new AssertionError("invalid ID generated"));
                assertEquals(Gender.fromCode(rs.getString(2)), id.gender());
                assertEquals(rs.getObject(3, LocalDate.class).getYear(), id.birthYear());
            }
            assertEquals(3000, rows);
        }
    }

    @Test
    void populationHasTheVarietyTheDemoNeeds() throws Exception {
        try (Connection c = connect();
                Statement s = c.createStatement()) {
            assertTrue(count(s, "SELECT count(*) FROM population.citizen WHERE deceased") > 0, "some deceased records");
            assertTrue(
                    count(
                                    s,
                                    "SELECT count(*) FROM population.citizen WHERE full_name ~ '[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹáàãéèíìóòõúùýĐ]'")
                            > 0,
                    "names carry diacritics");
            assertTrue(count(s, "SELECT count(*) FROM population.residence WHERE kind = 'temporary'") > 0);
            assertTrue(count(s, "SELECT count(*) FROM population.relation WHERE kind = 'spouse'") > 0);
            assertTrue(count(s, "SELECT count(*) FROM population.relation WHERE kind = 'legal_representative'") > 0);
            assertTrue(count(s, "SELECT count(*) FROM subscribers.subscriber WHERE status = 'unverified'") > 0);
            assertTrue(count(
                            s,
                            "SELECT count(*) FROM subscribers.subscriber WHERE sim_changed_at > now() - interval '3 days'")
                    > 0);
            assertEquals(
                    0,
                    count(
                            s,
                            "SELECT count(*) FROM population.relation r JOIN population.citizen c USING (personal_id) "
                                    + "WHERE r.kind = 'legal_representative' AND c.birth_date < date '2008-01-01'"),
                    "only minors have a legal representative");
        }
    }

    @Test
    void seedingIsDeterministic() throws Exception {
        List<DemoPopulation.Sample> before = DemoPopulation.samples(db.options(), 5);
        DemoPopulation.seed(db.options(), 3000, DemoPopulation.DEFAULT_SEED);
        assertEquals(before, DemoPopulation.samples(db.options(), 5));
        assertEquals(5, before.size());
        assertFalse(DemoPopulation.isEmpty(db.options()));
    }

    private Connection connect() throws Exception {
        return DriverManager.getConnection(
                db.options().jdbcUrl(), db.options().user(), db.options().password());
    }

    private static long count(Statement s, String sql) throws Exception {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
