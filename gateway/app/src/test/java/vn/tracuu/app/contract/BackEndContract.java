package vn.tracuu.app.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import vn.tracuu.core.domain.CitizenRecord;
import vn.tracuu.core.domain.CitizenRecord.RelationKind;
import vn.tracuu.core.domain.CitizenRecord.ResidenceKind;
import vn.tracuu.core.domain.Gender;
import vn.tracuu.core.domain.Msisdn;
import vn.tracuu.core.domain.PersonalId;
import vn.tracuu.core.domain.SubscriberBinding;
import vn.tracuu.core.domain.Topic;
import vn.tracuu.core.port.out.PopulationDirectory;
import vn.tracuu.core.port.out.SubscriberRegistry;

/**
 * What every back-end of the two ports must do, run against PostgreSQL and against HTTP (WireMock)
 * with the same fixture, so the two cannot drift apart.
 */
abstract class BackEndContract {

    abstract PopulationDirectory population();

    abstract SubscriberRegistry registry();

    private CitizenRecord find(String id, Topic topic) throws Exception {
        return population()
                .find(PersonalId.of(id), topic)
                .await(10, TimeUnit.SECONDS)
                .orElseThrow();
    }

    private Optional<SubscriberBinding> binding(String msisdn) throws Exception {
        return registry().byMsisdn(Msisdn.of(msisdn)).await(10, TimeUnit.SECONDS);
    }

    @Test
    void basicIdentity() throws Exception {
        CitizenRecord r = find(ContractFixture.LIVING, Topic.BASIC);
        assertFalse(r.deceased());
        assertEquals("Nguyễn Văn An", r.identity().fullName());
        assertEquals(LocalDate.of(1987, 3, 12), r.identity().birthDate());
        assertEquals(Gender.MALE, r.identity().gender());
        assertEquals("Nam Định", r.identity().hometown());
        assertTrue(
                r.relatives().isEmpty() && r.residences().isEmpty() && r.bloodType() == null,
                "only the topic's fields");
    }

    @Test
    void residences() throws Exception {
        CitizenRecord r = find(ContractFixture.LIVING, Topic.RESIDENCE);
        assertEquals(2, r.residences().size());
        CitizenRecord.Residence permanent = r.residences().stream()
                .filter(x -> x.kind() == ResidenceKind.PERMANENT)
                .findFirst()
                .orElseThrow();
        assertEquals("Số 1 Lê Lợi, Hà Nội", permanent.address());
        assertEquals(LocalDate.of(2005, 3, 12), permanent.since());
        assertNull(r.residences().stream()
                .filter(x -> x.kind() == ResidenceKind.TEMPORARY)
                .findFirst()
                .orElseThrow()
                .since());
        assertNull(r.identity());
    }

    @Test
    void eachRelationTopicHasOnlyItsRelations() throws Exception {
        assertEquals(
                List.of(RelationKind.FATHER, RelationKind.MOTHER),
                find(ContractFixture.LIVING, Topic.PARENTS).relatives().stream()
                        .map(CitizenRecord.Relative::kind)
                        .sorted()
                        .toList());
        List<CitizenRecord.Relative> spouse =
                find(ContractFixture.LIVING, Topic.SPOUSE).relatives();
        assertEquals(1, spouse.size());
        assertEquals("Lê Thị Dung", spouse.get(0).fullName());
        assertNull(spouse.get(0).birthYear());
        assertTrue(find(ContractFixture.LIVING, Topic.LEGAL_REPRESENTATIVE)
                .relatives()
                .isEmpty());
        assertEquals(
                1960,
                find(ContractFixture.LIVING, Topic.PARENTS).relatives().stream()
                        .filter(x -> x.kind() == RelationKind.FATHER)
                        .findFirst()
                        .orElseThrow()
                        .birthYear());
    }

    @Test
    void bloodTypeAndDeceased() throws Exception {
        assertEquals("O+", find(ContractFixture.LIVING, Topic.BLOOD_TYPE).bloodType());
        CitizenRecord dead = find(ContractFixture.DECEASED, Topic.BLOOD_TYPE);
        assertTrue(dead.deceased());
        assertNull(dead.bloodType());
        assertTrue(find(ContractFixture.DECEASED, Topic.BASIC).deceased());
    }

    @ParameterizedTest
    @EnumSource(Topic.class)
    void anUnknownIdIsEmptyForEveryTopic(Topic topic) throws Exception {
        assertTrue(population()
                .find(PersonalId.of(ContractFixture.UNKNOWN_ID), topic)
                .await(10, TimeUnit.SECONDS)
                .isEmpty());
    }

    @Test
    void aVerifiedBindingWithItsSimChange() throws Exception {
        SubscriberBinding b = binding(ContractFixture.VERIFIED).orElseThrow();
        assertEquals(PersonalId.of(ContractFixture.LIVING), b.personalId());
        assertEquals("viettel", b.operatorId());
        assertTrue(b.verified());
        assertEquals(Instant.parse(ContractFixture.VERIFIED_AT), b.verifiedAt());
        assertEquals(Instant.parse(ContractFixture.SIM_CHANGED), b.simChangedAt());
    }

    @Test
    void unverifiedUnknownSimAndUnknownNumbers() throws Exception {
        assertFalse(binding(ContractFixture.UNVERIFIED).orElseThrow().verified());
        SubscriberBinding unknownSim = binding(ContractFixture.UNKNOWN_SIM).orElseThrow();
        assertTrue(unknownSim.verified());
        assertNull(unknownSim.simChangedAt());
        assertEquals("mobifone", unknownSim.operatorId());
        assertTrue(binding(ContractFixture.UNKNOWN_NUMBER).isEmpty());
    }

    @Test
    void theVerifiedNumbersOfARecordAreListedWithTheirOperators() throws Exception {
        List<SubscriberBinding> numbers = registry()
                .verifiedNumbersOf(PersonalId.of(ContractFixture.LIVING))
                .await(10, TimeUnit.SECONDS);
        assertEquals(1, numbers.size(), "the unverified number bound to it is not listed: " + numbers);
        assertEquals(ContractFixture.VERIFIED, numbers.get(0).msisdn().digits());
        assertEquals("viettel", numbers.get(0).operatorId());
        assertTrue(registry()
                .verifiedNumbersOf(PersonalId.of(ContractFixture.UNKNOWN_ID))
                .await(10, TimeUnit.SECONDS)
                .isEmpty());
    }
}
