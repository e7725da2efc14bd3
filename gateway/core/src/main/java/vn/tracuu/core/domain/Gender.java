package vn.tracuu.core.domain;

public enum Gender {
    MALE("M", "Nam"),
    FEMALE("F", "Nữ");

    private final String code;
    private final String vietnamese;

    Gender(String code, String vietnamese) {
        this.code = code;
        this.vietnamese = vietnamese;
    }

    /** The one-letter code the population schema stores. */
    public String code() {
        return code;
    }

    public String vietnamese() {
        return vietnamese;
    }

    public static Gender fromCode(String code) {
        return "F".equals(code) ? FEMALE : MALE;
    }
}
