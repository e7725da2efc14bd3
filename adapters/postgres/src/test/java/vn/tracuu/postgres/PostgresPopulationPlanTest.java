package vn.tracuu.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.sqlclient.Row;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import vn.tracuu.core.domain.PersonalId;
import vn.tracuu.core.domain.Topic;
import vn.tracuu.postgres.demo.DemoPopulation;

/** The population's statements stay cheap on a population-sized table, where the planner's estimates matter. */
class PostgresPopulationPlanTest {

    @Test
    void aRelativesLookupIsNotPlannedAnewEachTime() throws Exception {
        try (TestDatabase db = TestDatabase.start()) {
            DemoPopulation.seed(db.options(), 20_000, DemoPopulation.DEFAULT_SEED);
            List<PersonalId> ids = new ArrayList<>();
            try (Connection c = db.jdbc();
                    Statement s = c.createStatement()) {
                s.execute("ANALYZE");
                try (ResultSet rs =
                        s.executeQuery("SELECT personal_id FROM population.relation WHERE kind = 'spouse' LIMIT 10")) {
                    while (rs.next()) {
                        ids.add(PersonalId.of(rs.getString(1)));
                    }
                }
            }
            // one connection, so every lookup runs the same prepared statement
            PostgresDatabase single = db.openOneConnectionEach();
            try {
                PostgresPopulationDirectory directory = new PostgresPopulationDirectory(single.reads());
                for (int i = 0; i < ids.size(); i++) {
                    Topic topic = i % 2 == 0 ? Topic.SPOUSE : Topic.PARENTS;
                    assertTrue(directory
                            .find(ids.get(i), topic)
                            .await(5, TimeUnit.SECONDS)
                            .isPresent());
                }
                Row plans = single.reads()
                        .query("SELECT custom_plans, generic_plans FROM pg_prepared_statements "
                                + "WHERE statement LIKE '%population.relation%'")
                        .execute()
                        .await(5, TimeUnit.SECONDS)
                        .iterator()
                        .next();
                // PostgreSQL tries five custom plans, then keeps the generic one unless it costs more
                assertEquals(5, plans.getLong("custom_plans"), "planned anew for every lookup");
                assertEquals(ids.size() - 5, plans.getLong("generic_plans"));
            } finally {
                single.close().await(5, TimeUnit.SECONDS);
            }
        }
    }
}
