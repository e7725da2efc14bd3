package vn.tracuu.core.domain;

public enum Channel {
    SMS,
    USSD
}
