package vn.tracuu.core.port.out;

import io.vertx.core.Future;
import java.util.Optional;
import vn.tracuu.core.domain.CitizenRecord;
import vn.tracuu.core.domain.PersonalId;
import vn.tracuu.core.domain.Topic;

/**
 * The population database, someone else's system: read one citizen's fields for one topic.
 * Implementations read only the topic's fields, never the whole record.
 */
public interface PopulationDirectory {

    /** Empty when the population database holds no citizen with that ID. */
    Future<Optional<CitizenRecord>> find(PersonalId id, Topic topic);
}
