package vn.tracuu.core.guard;

import io.vertx.core.Future;
import java.util.Optional;
import vn.tracuu.core.domain.CitizenRecord;
import vn.tracuu.core.domain.PersonalId;
import vn.tracuu.core.domain.Topic;
import vn.tracuu.core.port.out.PopulationDirectory;

/** The population directory behind its guard, whichever back-end serves it. */
public final class GuardedPopulationDirectory implements PopulationDirectory {

    private final PopulationDirectory backEnd;
    private final Guard guard;

    public GuardedPopulationDirectory(PopulationDirectory backEnd, Guard guard) {
        this.backEnd = backEnd;
        this.guard = guard;
    }

    @Override
    public Future<Optional<CitizenRecord>> find(PersonalId id, Topic topic) {
        return guard.call(() -> backEnd.find(id, topic));
    }
}
