package vn.tracuu.core.domain;

import java.util.List;

/** What part of a record a citizen asks for; each reads only its own fields (DESIGN §5). */
public enum Topic {
    BASIC("", List.of()),
    RESIDENCE("CT", List.of("CUTRU", "NOICUTRU", "DIACHI")),
    PARENTS("CM", List.of("CHAME", "BOME")),
    SPOUSE("VC", List.of("VOCHONG", "HONNHAN")),
    BLOOD_TYPE("NM", List.of("NHOMMAU")),
    LEGAL_REPRESENTATIVE("DD", List.of("DAIDIEN", "NGUOIDAIDIEN"));

    private final String code;
    private final List<String> synonyms;

    Topic(String code, List<String> synonyms) {
        this.code = code;
        this.synonyms = synonyms;
    }

    /** The two-letter code typed after TC; empty for the basic record. */
    public String code() {
        return code;
    }

    /** Accent-free, space-free spellings a citizen may type instead of the code. */
    public List<String> synonyms() {
        return synonyms;
    }
}
