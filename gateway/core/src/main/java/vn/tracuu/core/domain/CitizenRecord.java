package vn.tracuu.core.domain;

import java.time.LocalDate;
import java.util.List;

/**
 * What the population directory returned for one topic. Only the topic's part is filled in;
 * {@code deceased} is always read because it decides whether anything is given out at all.
 */
public record CitizenRecord(
        PersonalId id,
        boolean deceased,
        Identity identity,
        List<Residence> residences,
        List<Relative> relatives,
        String bloodType) {

    public CitizenRecord {
        residences = residences == null ? List.of() : List.copyOf(residences);
        relatives = relatives == null ? List.of() : List.copyOf(relatives);
    }

    /** The basic identity: DESIGN §6 citizen columns. */
    public record Identity(
            String fullName,
            LocalDate birthDate,
            Gender gender,
            String birthRegistrationPlace,
            String hometown,
            String ethnicity,
            String nationality) {}

    public enum ResidenceKind {
        PERMANENT,
        TEMPORARY
    }

    public record Residence(ResidenceKind kind, String address, LocalDate since) {}

    public enum RelationKind {
        FATHER,
        MOTHER,
        SPOUSE,
        LEGAL_REPRESENTATIVE
    }

    /** A relation; {@code birthYear} may be null when the population database does not hold it. */
    public record Relative(RelationKind kind, String fullName, Integer birthYear) {}
}
