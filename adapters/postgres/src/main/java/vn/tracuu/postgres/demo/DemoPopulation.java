package vn.tracuu.postgres.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;
import org.postgresql.core.BaseConnection;
import vn.tracuu.core.domain.Gender;
import vn.tracuu.core.domain.MobileOperator;
import vn.tracuu.core.domain.PersonalId;
import vn.tracuu.core.domain.Province;
import vn.tracuu.postgres.DatabaseOptions;

/**
 * Deterministic synthetic population and subscriber registry for demos, tests and load tests.
 * Citizen {@code i} depends only on the seed and {@code i}, and IDs follow Decree 137/2015
 * Art. 13 (gender and birth year agree with the record). Loaded with COPY, so a million
 * citizens take well under the three minutes the issue allows. Blocking JDBC: command line and
 * start-up only.
 *
 * <p>Longer than the project's 350-line guide: most of it is data (names, places, relations by
 * age) that a realistic record needs, kept beside the one generator that uses it.
 */
public final class DemoPopulation {

    public static final long DEFAULT_SEED = 137_2015L;
    public static final int DEFAULT_CITIZENS = 20_000;

    /** Birth years and ages are computed against this fixed date so the data stay the same every run. */
    static final LocalDate REFERENCE_DATE = LocalDate.of(2026, 1, 1);

    private static final String[] FAMILY = {
        "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương",
        "Lý"
    };
    private static final int[] FAMILY_WEIGHT = {38, 11, 10, 7, 5, 4, 4, 4, 4, 2, 2, 2, 2, 2, 2, 1};
    private static final String[] MIDDLE_MALE = {"Văn", "Hữu", "Đức", "Minh", "Quang", "Công", "Thành", "Xuân"};
    private static final String[] MIDDLE_FEMALE = {"Thị", "Ngọc", "Thu", "Thanh", "Kim", "Mai", "Phương", "Hồng"};
    private static final String[] GIVEN_MALE = {
        "An", "Bình", "Cường", "Dũng", "Đạt", "Hải", "Hùng", "Huy", "Khoa", "Long", "Nam", "Phúc", "Quân", "Sơn", "Tài",
        "Thắng", "Trung", "Tuấn", "Việt", "Vinh"
    };
    private static final String[] GIVEN_FEMALE = {
        "Anh", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hoa", "Hương", "Lan", "Linh", "Loan", "Mai", "My", "Nga",
        "Ngân", "Nhung", "Oanh", "Thảo", "Trang", "Vy", "Yến"
    };
    private static final String[] ETHNICITY = {"Kinh", "Tày", "Thái", "Mường", "Khmer", "Hoa", "Nùng", "H'Mông"};
    private static final int[] ETHNICITY_WEIGHT = {85, 2, 2, 2, 2, 2, 2, 3};
    private static final String[] BLOOD = {"O+", "A+", "B+", "AB+", "O-", "A-", "B-", "AB-"};
    private static final int[] BLOOD_WEIGHT = {42, 22, 28, 6, 1, 1, 0, 0};
    private static final String[] STREET = {
        "Lê Lợi",
        "Trần Hưng Đạo",
        "Nguyễn Trãi",
        "Hai Bà Trưng",
        "Quang Trung",
        "Lý Thường Kiệt",
        "Phan Chu Trinh",
        "Hùng Vương",
        "Điện Biên Phủ",
        "Võ Thị Sáu"
    };
    private static final String[] WARD = {
        "Phường 1",
        "Phường 3",
        "Phường Tân Định",
        "Phường Cầu Giấy",
        "Xã Yên Hòa",
        "Xã Tân Phú",
        "Phường Hòa Cường",
        "Xã An Bình",
        "Phường Trung Hòa",
        "Xã Phước Long"
    };

    private static final String[] PROVINCE_CODES = Province.all().keySet().toArray(String[]::new);

    private DemoPopulation() {}

    /** A ready-to-text pair: a verified, alive citizen whose SIM has not changed lately. */
    public record Sample(String msisdn, String operatorId, String idLastFour) {}

    public static boolean isEmpty(DatabaseOptions db) throws SQLException {
        try (Connection c = connect(db);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT NOT EXISTS (SELECT 1 FROM population.citizen)")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    /** Replaces the population and the registry with {@code citizens} generated citizens. */
    public static void seed(DatabaseOptions db, int citizens, long seed) throws SQLException, IOException {
        try (Connection c = connect(db)) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute(
                        "TRUNCATE population.citizen, population.residence, population.relation, subscribers.subscriber");
            }
            CopyManager copy = new CopyManager(c.unwrap(BaseConnection.class));
            Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            try (CopyWriter citizen = new CopyWriter(
                            copy,
                            "COPY population.citizen (personal_id, full_name, birth_date, gender, "
                                    + "birth_registration_place, hometown, ethnicity, nationality, blood_type, deceased, deceased_on) FROM STDIN");
                    CopyWriter residence = new CopyWriter(
                            copy, "COPY population.residence (personal_id, kind, address, since) FROM STDIN");
                    CopyWriter relation = new CopyWriter(
                            copy,
                            "COPY population.relation (personal_id, kind, relative_id, relative_name, "
                                    + "relative_birth_year) FROM STDIN");
                    CopyWriter subscriber = new CopyWriter(
                            copy,
                            "COPY subscribers.subscriber (msisdn, personal_id, operator_id, status, "
                                    + "verified_at, sim_changed_at) FROM STDIN")) {
                // Four COPY streams cannot be open at once on one connection: each pass generates the
                // citizens again (deterministic), so memory stays a few bytes per citizen however many.
                byte[] attempts = idAttempts(seed, citizens);
                citizen.open();
                for (int i = 0; i < citizens; i++) {
                    Citizen p = new Citizen(seed, i, attempts[i]);
                    citizen.row(
                            p.id,
                            p.fullName,
                            p.birthDate,
                            p.gender.code(),
                            p.birthPlace,
                            p.hometown,
                            p.ethnicity,
                            "Việt Nam",
                            p.bloodType,
                            p.deceased,
                            p.deceased ? REFERENCE_DATE.minusDays(p.rng(1).nextInt(1, 3000)) : null);
                }
                citizen.finish();
                residence.open();
                for (int i = 0; i < citizens; i++) {
                    Citizen p = new Citizen(seed, i, attempts[i]);
                    residence.row(p.id, "permanent", p.address(0), p.birthDate.plusYears(p.age > 18 ? 18 : 0));
                    if (p.rng(2).nextInt(100) < 30) {
                        residence.row(
                                p.id,
                                "temporary",
                                p.address(1),
                                REFERENCE_DATE.minusDays(p.rng(3).nextInt(30, 1500)));
                    }
                }
                residence.finish();
                relation.open();
                for (int i = 0; i < citizens; i++) {
                    new Citizen(seed, i, attempts[i]).relations(relation);
                }
                relation.finish();
                subscriber.open();
                for (int i = 0; i < citizens; i++) {
                    new Citizen(seed, i, attempts[i]).subscriber(subscriber, i, now);
                }
                subscriber.finish();
            }
            c.commit();
            try (Statement s = c.createStatement()) {
                c.setAutoCommit(true);
                s.execute("ANALYZE population.citizen");
                s.execute("ANALYZE population.residence");
                s.execute("ANALYZE population.relation");
                s.execute("ANALYZE subscribers.subscriber");
            }
        }
    }

    /** {@code n} ready-to-text pairs, the same ones for the same seed. */
    public static List<Sample> samples(DatabaseOptions db, int n) throws SQLException {
        // taken in turn from each operator, so the list shows every network
        String sql =
                "SELECT msisdn, operator_id, last_four FROM (SELECT s.msisdn, s.operator_id, right(s.personal_id, 4) AS last_four, "
                        + "row_number() OVER (PARTITION BY s.operator_id ORDER BY s.msisdn) AS turn FROM subscribers.subscriber s "
                        + "JOIN population.citizen c ON c.personal_id = s.personal_id "
                        + "WHERE s.status = 'verified' AND NOT c.deceased AND s.sim_changed_at < now() - interval '30 days') ready "
                        + "ORDER BY turn, operator_id LIMIT ?";
        try (Connection c = connect(db);
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setInt(1, n);
            List<Sample> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Sample(rs.getString(1), rs.getString(2), rs.getString(3)));
                }
            }
            return out;
        }
    }

    /** The most citizens {@link #seed} makes: an index travels in the low 24 bits of a sort key. */
    public static final int MAX_CITIZENS = (1 << 24) - 1;

    /**
     * For each citizen, which of its ID draws is its ID: the first, unless an earlier citizen
     * drew the same, then the next. Found by sorting (ID, index) pairs packed in longs, not by a
     * set of strings: 16 bytes a citizen while it runs, one kept.
     */
    static byte[] idAttempts(long seed, int citizens) {
        if (citizens < 0 || citizens > MAX_CITIZENS) {
            throw new IllegalArgumentException("citizens: between 0 and " + MAX_CITIZENS);
        }
        byte[] attempts = new byte[citizens];
        long[] ids = new long[citizens];
        for (int i = 0; i < citizens; i++) {
            ids[i] = Citizen.draw(seed, i, 0);
        }
        long[] sorted = new long[citizens];
        boolean clash = true;
        while (clash) {
            for (int i = 0; i < citizens; i++) {
                sorted[i] = ids[i] << 24 | i;
            }
            Arrays.sort(sorted);
            clash = false;
            for (int k = 1; k < citizens; k++) {
                if (sorted[k] >>> 24 == sorted[k - 1] >>> 24) {
                    int later = (int) (sorted[k] & MAX_CITIZENS);
                    attempts[later]++;
                    ids[later] = Citizen.draw(seed, later, attempts[later]);
                    clash = true;
                }
            }
        }
        return attempts;
    }

    private static Connection connect(DatabaseOptions db) throws SQLException {
        return DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
    }

    private static int weighted(SplittableRandom rng, int[] weights) {
        int total = 0;
        for (int w : weights) {
            total += w;
        }
        int pick = rng.nextInt(total);
        for (int i = 0; i < weights.length; i++) {
            pick -= weights[i];
            if (pick < 0) {
                return i;
            }
        }
        return weights.length - 1;
    }

    private static String name(SplittableRandom rng, Gender gender, String family) {
        String[] middle = gender == Gender.MALE ? MIDDLE_MALE : MIDDLE_FEMALE;
        String[] given = gender == Gender.MALE ? GIVEN_MALE : GIVEN_FEMALE;
        return family + " " + middle[rng.nextInt(middle.length)] + " " + given[rng.nextInt(given.length)];
    }

    /** A structurally valid ID for someone born in {@code province} in {@code year}. */
    static String personalId(String province, Gender gender, int year, int random) {
        return province + PersonalId.centuryDigit(year, gender) + String.format("%02d%06d", year % 100, random);
    }

    /** Where and when a citizen was born, and so its ID: the first draws of its stream. */
    private record Origin(String province, Gender gender, LocalDate birthDate, String id) {

        /** {@code attempt}: how many ID draws an earlier citizen already had. */
        static Origin draw(SplittableRandom rng, int attempt) {
            String province = PROVINCE_CODES[rng.nextInt(PROVINCE_CODES.length)];
            Gender gender = rng.nextBoolean() ? Gender.MALE : Gender.FEMALE;
            LocalDate birthDate = REFERENCE_DATE.minusDays(rng.nextInt(365, 365 * 90));
            int random = rng.nextInt(1_000_000);
            for (int a = 0; a < attempt; a++) {
                random = rng.nextInt(1_000_000);
            }
            return new Origin(province, gender, birthDate, personalId(province, gender, birthDate.getYear(), random));
        }
    }

    static final class Citizen {
        final long seed;
        final int index;
        final String id;
        final String province;
        final Gender gender;
        final LocalDate birthDate;
        final int age;
        final String familyName;
        final String fullName;
        final String birthPlace;
        final String hometown;
        final String ethnicity;
        final String bloodType;
        final boolean deceased;

        /** {@code attempt}: which of its ID draws is its ID ({@link #idAttempts}). */
        Citizen(long seed, int index, int attempt) {
            this.seed = seed;
            this.index = index;
            SplittableRandom rng = rng(0);
            Origin origin = Origin.draw(rng, attempt);
            province = origin.province();
            gender = origin.gender();
            birthDate = origin.birthDate();
            age = (int) ChronoUnit.YEARS.between(birthDate, REFERENCE_DATE);
            id = origin.id();
            familyName = FAMILY[weighted(rng, FAMILY_WEIGHT)];
            fullName = name(rng, gender, familyName);
            birthPlace = Province.all().get(province);
            hometown = rng.nextInt(100) < 70
                    ? birthPlace
                    : Province.all().get(PROVINCE_CODES[rng.nextInt(PROVINCE_CODES.length)]);
            ethnicity = ETHNICITY[weighted(rng, ETHNICITY_WEIGHT)];
            bloodType = rng.nextInt(100) < 85 ? BLOOD[weighted(rng, BLOOD_WEIGHT)] : null;
            deceased = rng.nextInt(100) < 2;
        }

        /** Citizen {@code index}'s ID draw number {@code attempt}, as a number. */
        static long draw(long seed, int index, int attempt) {
            return Long.parseLong(Origin.draw(rng(seed, index, 0), attempt).id());
        }

        /** An independent stream per citizen and purpose, so one field never shifts another. */
        SplittableRandom rng(int purpose) {
            return rng(seed, index, purpose);
        }

        static SplittableRandom rng(long seed, int index, int purpose) {
            return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + index * 31L + purpose);
        }

        String address(int which) {
            SplittableRandom rng = rng(10 + which);
            String place =
                    which == 0 ? hometown : Province.all().get(PROVINCE_CODES[rng.nextInt(PROVINCE_CODES.length)]);
            return "Số " + rng.nextInt(1, 300) + " " + STREET[rng.nextInt(STREET.length)] + ", "
                    + WARD[rng.nextInt(WARD.length)] + ", " + place;
        }

        void relations(CopyWriter out) throws IOException {
            SplittableRandom rng = rng(20);
            int year = birthDate.getYear();
            int fatherYear = year - rng.nextInt(20, 41);
            int motherYear = year - rng.nextInt(18, 36);
            String father = familyName + " " + MIDDLE_MALE[rng.nextInt(MIDDLE_MALE.length)] + " "
                    + GIVEN_MALE[rng.nextInt(GIVEN_MALE.length)];
            String mother = name(rng, Gender.FEMALE, FAMILY[weighted(rng, FAMILY_WEIGHT)]);
            out.row(
                    id,
                    "father",
                    personalId(province, Gender.MALE, fatherYear, rng.nextInt(1_000_000)),
                    father,
                    fatherYear);
            out.row(
                    id,
                    "mother",
                    personalId(province, Gender.FEMALE, motherYear, rng.nextInt(1_000_000)),
                    mother,
                    motherYear);
            if (age >= 22 && rng.nextInt(100) < 65) {
                Gender spouseGender = gender == Gender.MALE ? Gender.FEMALE : Gender.MALE;
                int spouseYear = year + rng.nextInt(-5, 6);
                out.row(
                        id,
                        "spouse",
                        personalId(
                                PROVINCE_CODES[rng.nextInt(PROVINCE_CODES.length)],
                                spouseGender,
                                spouseYear,
                                rng.nextInt(1_000_000)),
                        name(rng, spouseGender, FAMILY[weighted(rng, FAMILY_WEIGHT)]),
                        spouseYear);
            }
            if (age < 18) {
                // Bộ luật Dân sự 2015 Art. 136: parents are a minor's legal representatives.
                out.row(
                        id,
                        "legal_representative",
                        personalId(province, Gender.MALE, fatherYear, rng.nextInt(1_000_000)),
                        father,
                        fatherYear);
            }
        }

        void subscriber(CopyWriter out, int i, Instant now) throws IOException {
            SplittableRandom rng = rng(30);
            if (age < 15 || rng.nextInt(100) >= 92) {
                return;
            }
            MobileOperator[] operators = MobileOperator.values();
            MobileOperator operator = operators[i % operators.length];
            String prefix = operator.prefixes()
                    .get((i / operators.length) % operator.prefixes().size());
            // 7-digit subscriber number: a bijection of the index (7,654,321 is coprime with 10^7), so no two collide.
            long number = ((long) i * 7_654_321L + 1_234_567L) % 10_000_000L;
            String msisdn = prefix + String.format("%07d", number);
            boolean verified = rng.nextInt(100) < 95;
            int roll = rng.nextInt(100);
            Instant simChanged = roll < 1
                    ? null
                    : roll < 4
                            ? now.minus(rng.nextInt(1, 72), ChronoUnit.HOURS)
                            : now.minus(rng.nextInt(31, 2000), ChronoUnit.DAYS);
            Instant verifiedAt = verified ? now.minus(rng.nextInt(1, 900), ChronoUnit.DAYS) : null;
            out.row(msisdn, id, operator.id(), verified ? "verified" : "unverified", verifiedAt, simChanged);
        }
    }

    /** Streams rows in COPY text format, a buffer at a time. */
    private static final class CopyWriter implements AutoCloseable {
        private final CopyManager copy;
        private final String sql;
        private final StringBuilder buffer = new StringBuilder(1 << 20);
        private CopyIn in;

        CopyWriter(CopyManager copy, String sql) {
            this.copy = copy;
            this.sql = sql;
        }

        void open() throws IOException {
            try {
                in = copy.copyIn(sql);
            } catch (SQLException e) {
                throw new IOException(e);
            }
        }

        void row(Object... values) throws IOException {
            for (int i = 0; i < values.length; i++) {
                if (i > 0) {
                    buffer.append('\t');
                }
                Object v = values[i];
                if (v == null) {
                    buffer.append("\\N");
                } else if (v instanceof Boolean b) {
                    buffer.append(b ? 't' : 'f');
                } else {
                    buffer.append(v);
                }
            }
            buffer.append('\n');
            if (buffer.length() > (1 << 20) - 1024) {
                flush();
            }
        }

        private void flush() throws IOException {
            byte[] bytes = buffer.toString().getBytes(StandardCharsets.UTF_8);
            buffer.setLength(0);
            try {
                in.writeToCopy(bytes, 0, bytes.length);
            } catch (SQLException e) {
                throw new IOException(e);
            }
        }

        @Override
        public void close() throws IOException {
            finish();
        }

        /** Ends this pass's COPY; the writer may then be closed or left to its try block. */
        void finish() throws IOException {
            if (in == null) {
                return;
            }
            flush();
            try {
                in.endCopy();
            } catch (SQLException e) {
                throw new IOException(e);
            } finally {
                in = null;
            }
        }
    }
}
