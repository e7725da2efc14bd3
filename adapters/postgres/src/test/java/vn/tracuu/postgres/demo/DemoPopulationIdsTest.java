package vn.tracuu.postgres.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The seed's IDs, unique without holding them as strings: a million citizens, no database. */
class DemoPopulationIdsTest {

    private static final int CITIZENS = 1_000_000;

    @Test
    void aMillionCitizensGetAMillionDistinctIdsTheSameEveryTime() {
        byte[] attempts = DemoPopulation.idAttempts(DemoPopulation.DEFAULT_SEED, CITIZENS);
        long[] ids = new long[CITIZENS];
        int redrawn = 0;
        for (int i = 0; i < CITIZENS; i++) {
            ids[i] = DemoPopulation.Citizen.draw(DemoPopulation.DEFAULT_SEED, i, attempts[i]);
            redrawn += attempts[i] > 0 ? 1 : 0;
        }
        assertTrue(redrawn > 0, "at this size some first draws clash; they were drawn again");
        Arrays.sort(ids);
        for (int k = 1; k < CITIZENS; k++) {
            assertTrue(ids[k] != ids[k - 1], "ID " + ids[k] + " given twice");
        }
        assertArrayEquals(attempts, DemoPopulation.idAttempts(DemoPopulation.DEFAULT_SEED, CITIZENS));
    }

    @Test
    void moreCitizensThanTheSortKeyHoldsAreRefused() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> DemoPopulation.idAttempts(DemoPopulation.DEFAULT_SEED, DemoPopulation.MAX_CITIZENS + 1));
        assertEquals("citizens: between 0 and " + DemoPopulation.MAX_CITIZENS, e.getMessage());
    }
}
