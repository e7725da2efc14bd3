package vn.tracuu.load;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class ReportTest {

    private static JsonObject report(double smpp, double database, double share) {
        return Report.json(java.util.List.of(), smpp, database, null, new JsonObject())
                .put("gatewayShareOfLowerFloor", share);
    }

    @Test
    void theRatioIsToTheLowerFloorMeasured() {
        String text = Report.text(report(130_000, 3_400, 0.95));
        assertTrue(text.contains("SMPP echo 130000/s, database 3400/s; gateway at 95% of the lower floor"), text);
    }

    @Test
    void withoutAFloorNoRatioIsClaimed() {
        String text = Report.text(report(0, 0, 0));
        assertTrue(text.contains("SMPP echo not measured, database not measured; no ratio without a floor"), text);
        assertFalse(text.contains("0% of"), text);
        assertTrue(text.contains("this machine's PostgreSQL: not measured"), text);
    }

    @Test
    void theMachinesFiguresStandBesideTheReferenceMachines() {
        JsonObject machine = new MachineReference.Figures(8, 14_618.4, 3_912.6, 29_870, 10).json();
        String text = Report.text(Report.json(java.util.List.of(), 110_000, 4_100, machine, new JsonObject()));
        assertTrue(
                text.contains(
                        "this machine's PostgreSQL, 8 connections: 14618 primary-key reads/s, 3913 single-row commits/s, "
                                + "29870 rows/s ten to a transaction (10.0 rows per transaction counted); the issue's reference machine: ~40000, "
                                + "~4000-14000, ~34000"),
                text);
    }

    @Test
    void eachRunsCpuIsBilledPerThousandRepliesByWhoUsedIt() {
        // 1,000 replies a second, each second 1.5 s of the gateway's CPU and 3 s of PostgreSQL's
        LoadRun.Result run = ReportPageTest.run("gateway open 1000/s", 1000, 2, 10);
        String text = Report.text(Report.json(java.util.List.of(run), 0, 0, null, new JsonObject()));
        assertTrue(
                text.contains(
                        "CPU per 1,000 replies: gateway JVM 1.50 s + PostgreSQL 3.00 s = 4.50 s (the driver's loop 0.20 s apart)"),
                text);
    }
}
