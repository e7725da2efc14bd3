package vn.tracuu.load;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class ReportTest {

  private static JsonObject report(double smpp, double database, double share) {
    return new JsonObject().put("setup", new JsonObject()).put("runs", new JsonArray())
        .put("floors", new JsonObject().put("smppPerSecond", smpp).put("databasePerSecond", database))
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
  }
}
