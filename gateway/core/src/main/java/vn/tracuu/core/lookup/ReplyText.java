package vn.tracuu.core.lookup;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.StringJoiner;
import vn.tracuu.core.domain.CitizenRecord;
import vn.tracuu.core.domain.CitizenRecord.RelationKind;
import vn.tracuu.core.domain.CitizenRecord.Relative;
import vn.tracuu.core.domain.CitizenRecord.Residence;
import vn.tracuu.core.domain.CitizenRecord.ResidenceKind;
import vn.tracuu.core.domain.Masking;
import vn.tracuu.core.domain.Msisdn;
import vn.tracuu.core.domain.Topic;
import vn.tracuu.core.domain.audit.AccessRecord;

/**
 * The texts a citizen receives, in Vietnamese with diacritics; the SMPP adapter folds them to
 * accent-free GSM-7 unless the operator is configured for UCS-2. The personal ID only ever
 * appears masked.
 */
public final class ReplyText {

    /** One text for every authorization failure: same words, same length, same segment count. */
    public static final String REFUSAL = "Không thể tra cứu: số thuê bao này không được phép xem thông tin yêu cầu. "
            + "Liên hệ cơ quan Công an nơi cư trú để được hỗ trợ.";

    /** Every command, in two SMS segments at most once folded to GSM-7 (ReplyTextTest). */
    public static final String HELP = "Tra cứu thông tin của chính bạn: TC (cơ bản), TC CT (cư trú), TC CM (cha mẹ), "
            + "TC VC (vợ/chồng), TC NM (nhóm máu), TC DD (người đại diện); có thể thêm 4 số cuối số định danh: "
            + "TC CT 1234. LS: lịch sử tra cứu. KHOA: khóa tra cứu. HD BM: bảo mật dữ liệu.";

    public static final String INVALID_ID =
            "Số định danh không hợp lệ. Nhắn TC kèm 4 số cuối hoặc đủ 12 số định danh, ví dụ TC 1234. "
                    + "Nhắn HD để xem hướng dẫn.";

    public static final String BUSY = "Hệ thống đang bận, vui lòng thử lại sau ít phút.";

    /** The hourly limit's answer, before the time it ends ({@link #limitReached}). */
    public static final String HOURLY_LIMIT = "Số thuê bao này đã hết lượt tra cứu trong giờ. Vui lòng thử lại sau ";

    /** The daily limits' answer (the number's or the record's), before the time they end. */
    public static final String DAILY_LIMIT = "Đã hết lượt tra cứu trong ngày. Vui lòng thử lại từ ";

    /** The citizens' clock: the times in replies, and the day the daily limits count in. */
    public static final ZoneId ZONE = ZoneId.of("Asia/Ho_Chi_Minh");

    /** How a lookup notice to another number of the record begins. */
    public static final String NOTICE_OPENING = "Hồ sơ của bạn vừa được tra cứu";

    public static final String LOCK_CONFIRMED =
            "Đã khóa tra cứu thông tin của bạn qua SMS/USSD. Để mở khóa, vui lòng đến cơ quan Công an nơi cư trú.";

    private static final DateTimeFormatter WHEN =
            DateTimeFormatter.ofPattern("dd/MM HH:mm").withZone(ZONE);

    private static final DateTimeFormatter HOUR =
            DateTimeFormatter.ofPattern("HH:mm").withZone(ZONE);

    private static final DateTimeFormatter DAY_START =
            DateTimeFormatter.ofPattern("HH:mm 'ngày' dd/MM").withZone(ZONE);

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("dd/MM/yyyy");

    private ReplyText() {}

    /** Past a number's or a record's limit: which one, and from when the citizen may try again. */
    public static String limitReached(boolean daily, Instant retryFrom) {
        return daily ? DAILY_LIMIT + DAY_START.format(retryFrom) + "." : HOURLY_LIMIT + HOUR.format(retryFrom) + ".";
    }

    /** The answer for one topic of a record the sender may see. */
    public static String render(Topic topic, CitizenRecord record) {
        String id = "Số ĐD " + record.id().masked();
        return switch (topic) {
            case BASIC -> basic(record);
            case RESIDENCE -> id + ". " + residences(record.residences());
            case PARENTS ->
                id + ". " + relatives(record.relatives(), List.of(RelationKind.FATHER, RelationKind.MOTHER));
            case SPOUSE -> id + ". " + relatives(record.relatives(), List.of(RelationKind.SPOUSE));
            case BLOOD_TYPE -> id + ". Nhóm máu: " + orUnknown(record.bloodType()) + ".";
            case LEGAL_REPRESENTATIVE ->
                id + ". " + relatives(record.relatives(), List.of(RelationKind.LEGAL_REPRESENTATIVE));
        };
    }

    /** HD BM: what is looked up, why, what is logged and for how long, how to lock. */
    public static String privacyNotice(Duration auditRetention) {
        return "Tra cứu theo NĐ 137/2015: chỉ trả thông tin của người có số định danh gắn với số thuê bao đã xác thực này. "
                + "Mỗi lần tra cứu được ghi nhật ký (thời gian, nhà mạng, nội dung hỏi, mã băm số thuê bao; không lưu câu trả lời) "
                + "trong " + auditRetention.toDays() + " ngày. Nhắn LS xem lịch sử, KHOA để khóa tra cứu.";
    }

    /** LS: the latest accesses to the sender's record; {@code self} is the sender's pseudonym. */
    public static String history(List<AccessRecord> accesses, String self) {
        if (accesses.isEmpty()) {
            return "Chưa có lần tra cứu nào.";
        }
        StringJoiner out = new StringJoiner("; ", "Tra cứu gần nhất: ", ".");
        for (AccessRecord a : accesses) {
            String what = a.command() + (a.topic().isEmpty() ? "" : " " + a.topic());
            out.add(WHEN.format(a.at()) + " " + a.channel() + " " + what
                    + (a.msisdnPseudonym().equals(self) ? " (số này)" : " (số khác)"));
        }
        return out.toString();
    }

    /**
     * To another number bound to a record just looked up: when (as {@code LS} shows it), how, and
     * from which number, masked as a citizen writes it ({@code 091*****78}).
     */
    public static String notice(Msisdn from, String channel, String command, String topic, Instant at) {
        String what = command + (topic.isEmpty() ? "" : " " + topic);
        return NOTICE_OPENING + " lúc " + WHEN.format(at) + " (" + channel + " " + what + ") từ số "
                + Masking.msisdn("0" + from.digits().substring(2)) + ". Nếu không phải bạn, nhắn KHOA để khóa tra cứu.";
    }

    private static String basic(CitizenRecord record) {
        CitizenRecord.Identity who = record.identity();
        return "Họ tên: " + who.fullName()
                + ". Số ĐD: " + record.id().masked()
                + ". Ngày sinh: " + date(who.birthDate())
                + ". Giới tính: " + who.gender().vietnamese()
                + ". Nơi ĐK khai sinh: " + orUnknown(who.birthRegistrationPlace())
                + ". Quê quán: " + orUnknown(who.hometown())
                + ". Dân tộc: " + orUnknown(who.ethnicity())
                + ". Quốc tịch: " + orUnknown(who.nationality()) + ".";
    }

    private static String residences(List<Residence> residences) {
        StringJoiner out = new StringJoiner(" ");
        for (ResidenceKind kind : ResidenceKind.values()) {
            String label = kind == ResidenceKind.PERMANENT ? "Thường trú" : "Tạm trú";
            Residence found = residences.stream()
                    .filter(r -> r.kind() == kind)
                    .findFirst()
                    .orElse(null);
            out.add(
                    found == null
                            ? label + ": không có."
                            : label + ": " + found.address()
                                    + (found.since() == null ? "" : " (từ " + date(found.since()) + ")") + ".");
        }
        return out.toString();
    }

    private static String relatives(List<Relative> relatives, List<RelationKind> kinds) {
        StringJoiner out = new StringJoiner(" ");
        for (RelationKind kind : kinds) {
            String label = switch (kind) {
                case FATHER -> "Cha";
                case MOTHER -> "Mẹ";
                case SPOUSE -> "Vợ/chồng";
                case LEGAL_REPRESENTATIVE -> "Người đại diện hợp pháp";
            };
            Relative found =
                    relatives.stream().filter(r -> r.kind() == kind).findFirst().orElse(null);
            out.add(
                    found == null
                            ? label + ": không có thông tin."
                            : label + ": " + found.fullName()
                                    + (found.birthYear() == null ? "" : ", sinh năm " + found.birthYear()) + ".");
        }
        return out.toString();
    }

    private static String date(LocalDate date) {
        return date == null ? "không rõ" : DATE.format(date);
    }

    private static String orUnknown(String value) {
        return value == null || value.isBlank() ? "không rõ" : value;
    }
}
