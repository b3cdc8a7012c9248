package dev.cairn.network;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cairn.server.ClientInfo;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** Addresses in log lines and CLIENT LIST are written as inet_ntop writes them. */
class ClientInfoTest {
    private static String ip(String literal) throws Exception {
        return ClientInfo.ipText(InetAddress.getByName(literal));
    }

    @Test
    void ipv6AddressesAreCompressedAsInetNtop() throws Exception {
        assertEquals("::1", ip("0:0:0:0:0:0:0:1"));
        assertEquals("::", ip("0:0:0:0:0:0:0:0"));
        assertEquals("fd00::2", ip("fd00:0:0:0:0:0:0:2"));
        assertEquals("1::", ip("1:0:0:0:0:0:0:0"));
        assertEquals("1:0:0:2::3", ip("1:0:0:2:0:0:0:3"));
        assertEquals("2001:db8::1:0:0:1", ip("2001:db8:0:0:1:0:0:1"));
        assertEquals("1:0:2:3:4:5:6:7", ip("1:0:2:3:4:5:6:7"));
        assertEquals("fe80::abcd", ip("FE80:0:0:0:0:0:0:ABCD"));
        assertEquals("127.0.0.1", ip("127.0.0.1"));
    }
}
