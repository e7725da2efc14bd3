package vn.tracuu.smpp.session;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One entry of an operator's allow-list: an IPv4 or IPv6 address in any textual form, or a CIDR
 * range ({@code 10.1.0.0/16}, {@code 2001:db8::/32}). Only literals: a host name is refused,
 * since resolving it at each bind would let DNS decide who may bind.
 */
public final class AddressRange {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    private final byte[] network;
    private final int prefix;

    private AddressRange(byte[] network, int prefix) {
        this.network = network;
        this.prefix = prefix;
    }

    /** The range {@code text} names, or empty when it is not an address or CIDR range. */
    public static Optional<AddressRange> parse(String text) {
        String s = text.trim();
        int slash = s.indexOf('/');
        Optional<byte[]> address = literal(slash < 0 ? s : s.substring(0, slash));
        if (address.isEmpty()) {
            return Optional.empty();
        }
        int bits = address.get().length * 8;
        int prefix = bits;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(s.substring(slash + 1));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
            if (prefix < 0 || prefix > bits) {
                return Optional.empty();
            }
        }
        return Optional.of(new AddressRange(address.get(), prefix));
    }

    /** Whether the peer address {@code text} (as the socket reports it) lies in this range. */
    public boolean contains(String text) {
        Optional<byte[]> address = literal(text);
        if (address.isEmpty() || address.get().length != network.length) {
            return false;
        }
        byte[] a = address.get();
        for (int bit = 0; bit < prefix; bit++) {
            int mask = 0x80 >>> (bit % 8);
            if ((a[bit / 8] & mask) != (network[bit / 8] & mask)) {
                return false;
            }
        }
        return true;
    }

    private static Optional<byte[]> literal(String s) {
        String address = s.startsWith("[") && s.endsWith("]") ? s.substring(1, s.length() - 1) : s;
        boolean v4 = IPV4.matcher(address).matches();
        if (v4) {
            for (String octet : address.split("\\.")) {
                if (Integer.parseInt(octet) > 255) {
                    // else InetAddress would take it for a host name and ask DNS
                    return Optional.empty();
                }
            }
        } else if (!IPV6.matcher(address).matches()) {
            return Optional.empty();
        }
        try {
            // a literal: InetAddress parses it without any name lookup; ::ffff:a.b.c.d comes back as IPv4
            return Optional.of(InetAddress.getByName(address).getAddress());
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }
}
