package vn.tracuu.smpp.session;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AddressRangeTest {

    private static boolean allows(String range, String address) {
        return AddressRange.parse(range).orElseThrow().contains(address);
    }

    @Test
    void aSingleAddressMatchesItselfInAnyForm() {
        assertTrue(allows("127.0.0.1", "127.0.0.1"));
        assertFalse(allows("127.0.0.1", "127.0.0.2"));
        assertTrue(allows("::1", "0:0:0:0:0:0:0:1"), "IPv6 compressed against the socket's long form");
        assertTrue(allows("[2001:DB8::10]", "2001:db8:0:0:0:0:0:10"));
        assertTrue(allows("10.1.2.3", "::ffff:10.1.2.3"), "an IPv4-mapped peer is its IPv4 address");
    }

    @Test
    void aCidrRangeMatchesItsNetworkOnly() {
        assertTrue(allows("10.1.0.0/16", "10.1.255.7"));
        assertFalse(allows("10.1.0.0/16", "10.2.0.1"));
        assertTrue(allows("192.0.2.128/25", "192.0.2.200"));
        assertFalse(allows("192.0.2.128/25", "192.0.2.127"));
        assertTrue(allows("2001:db8::/32", "2001:db8:ffff::1"));
        assertFalse(allows("2001:db8::/32", "2001:db9::1"));
        assertTrue(allows("0.0.0.0/0", "203.0.113.9"));
        assertFalse(allows("10.0.0.0/8", "::1"), "families never mix");
    }

    @Test
    void anythingButALiteralIsRefusedWithoutAskingDns() {
        for (String bad :
                new String[] {"gw.example.vn", "10.0.0.300", "10.0.0.0/33", "::1/129", "10.0.0.0/x", "", "1.2.3"}) {
            assertTrue(AddressRange.parse(bad).isEmpty(), bad);
        }
    }
}
