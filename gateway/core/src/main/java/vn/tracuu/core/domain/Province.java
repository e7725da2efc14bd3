package vn.tracuu.core.domain;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Province codes of birth registration (Circular 07/2016 Art. 7, the 63 provinces before the
 * 2025 merger), the first three digits of a personal ID.
 */
public final class Province {

    private static final Map<String, String> NAMES = new LinkedHashMap<>();

    static {
        String[] table = {
            "001",
            "Hà Nội",
            "002",
            "Hà Giang",
            "004",
            "Cao Bằng",
            "006",
            "Bắc Kạn",
            "008",
            "Tuyên Quang",
            "010",
            "Lào Cai",
            "011",
            "Điện Biên",
            "012",
            "Lai Châu",
            "014",
            "Sơn La",
            "015",
            "Yên Bái",
            "017",
            "Hòa Bình",
            "019",
            "Thái Nguyên",
            "020",
            "Lạng Sơn",
            "022",
            "Quảng Ninh",
            "024",
            "Bắc Giang",
            "025",
            "Phú Thọ",
            "026",
            "Vĩnh Phúc",
            "027",
            "Bắc Ninh",
            "030",
            "Hải Dương",
            "031",
            "Hải Phòng",
            "033",
            "Hưng Yên",
            "034",
            "Thái Bình",
            "035",
            "Hà Nam",
            "036",
            "Nam Định",
            "037",
            "Ninh Bình",
            "038",
            "Thanh Hóa",
            "040",
            "Nghệ An",
            "042",
            "Hà Tĩnh",
            "044",
            "Quảng Bình",
            "045",
            "Quảng Trị",
            "046",
            "Thừa Thiên Huế",
            "048",
            "Đà Nẵng",
            "049",
            "Quảng Nam",
            "051",
            "Quảng Ngãi",
            "052",
            "Bình Định",
            "054",
            "Phú Yên",
            "056",
            "Khánh Hòa",
            "058",
            "Ninh Thuận",
            "060",
            "Bình Thuận",
            "062",
            "Kon Tum",
            "064",
            "Gia Lai",
            "066",
            "Đắk Lắk",
            "067",
            "Đắk Nông",
            "068",
            "Lâm Đồng",
            "070",
            "Bình Phước",
            "072",
            "Tây Ninh",
            "074",
            "Bình Dương",
            "075",
            "Đồng Nai",
            "077",
            "Bà Rịa - Vũng Tàu",
            "079",
            "TP Hồ Chí Minh",
            "080",
            "Long An",
            "082",
            "Tiền Giang",
            "083",
            "Bến Tre",
            "084",
            "Trà Vinh",
            "086",
            "Vĩnh Long",
            "087",
            "Đồng Tháp",
            "089",
            "An Giang",
            "091",
            "Kiên Giang",
            "092",
            "Cần Thơ",
            "093",
            "Hậu Giang",
            "094",
            "Sóc Trăng",
            "095",
            "Bạc Liêu",
            "096",
            "Cà Mau",
        };
        for (int i = 0; i < table.length; i += 2) {
            NAMES.put(table[i], table[i + 1]);
        }
    }

    private Province() {}

    /** Code to name, in code order. */
    public static Map<String, String> all() {
        return Collections.unmodifiableMap(NAMES);
    }

    public static boolean isCode(String code) {
        return NAMES.containsKey(code);
    }
}
