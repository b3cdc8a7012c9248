package dev.cairn.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cairn.testing.RawConnection;
import dev.cairn.testing.ServerFixture;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Exact reply bytes of the stream commands in RESP2 and RESP3, as redis-server 7.0.15
 * sends them: nulls (a null bulk, a null array, RESP3's null), maps where RESP3 has them
 * (XINFO, XREAD), nested entries, and the error texts.
 */
class StreamRepliesTest {
    @RegisterExtension
    static final ServerFixture cairn = ServerFixture.cairn().flushingBeforeEachTest();

    private static void script(int protocol, String[][] requests, String[] replies) throws IOException {
        try (RawConnection c = new RawConnection(cairn.port())) {
            c.call("HELLO", String.valueOf(protocol));
            for (int i = 0; i < requests.length; i++) {
                assertEquals(replies[i], c.call(requests[i]), "RESP" + protocol + " " + String.join(" ", requests[i]));
            }
        }
    }

    private static final String[][] REQUESTS = {
        {"XADD", "s", "1-1", "a", "1"},
        {"XADD", "s", "2-1", "b", "2"},
        {"XADD", "n", "NOMKSTREAM", "*", "a", "1"},
        {"XRANGE", "s", "-", "+", "COUNT", "0"},
        {"XRANGE", "nokey", "-", "+"},
        {"XREVRANGE", "s", "+", "(2-1"},
        {"XRANGE", "s", "(1-1", "+"},
        {"XGROUP", "CREATE", "s", "g", "0"},
        {"XGROUP", "CREATE", "s", "g2", "$", "ENTRIESREAD", "-1"},
        {"XDEL", "s", "1-1"},
        {"XINFO", "GROUPS", "s"},
        {"XPENDING", "s", "g"},
        {"XREADGROUP", "GROUP", "g", "c", "COUNT", "1", "STREAMS", "s", ">"},
        {"XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", ">"},
        {"XAUTOCLAIM", "s", "g", "d", "0", "0", "JUSTID"},
        {"XINFO", "STREAM", "s"},
        {"XREAD", "STREAMS", "s", "nokey", "0", "0"},
        {"XREAD", "STREAMS", "s", "$"},
        {"XINFO", "STREAM", "e"},
        {"XADD", "s", "2-1", "x", "y"},
        {"XADD", "s", "0-0", "x", "y"},
        {"XADD", "s", "bad", "x", "y"},
        {"XADD", "s", "MAXLEN", "1", "MINID", "1", "3-0", "x", "y"},
        {"XADD", "s", "MAXLEN", "~", "1", "LIMIT", "-1", "3-0", "x", "y"},
        {"XTRIM", "s", "LIMIT", "5"},
        {"XSETID", "s", "1-0"},
        {"XGROUP", "SETID", "s", "nog", "0"},
        {"XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "$"},
        {"XCLAIM", "s", "g", "c", "x", "1-1"},
        {"XCLAIM", "s", "g", "c", "0", "2-1", "BOGUS"},
        {"XAUTOCLAIM", "s", "g", "c", "0", "0", "COUNT", "0"},
        {"XGROUP", "HELP"},
    };

    private static final String[] RESP2 = {
        "$3\r\n1-1\r\n",
        "$3\r\n2-1\r\n",
        "$-1\r\n",
        "*-1\r\n",
        "*0\r\n",
        "*0\r\n",
        "*1\r\n*2\r\n$3\r\n2-1\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n",
        "+OK\r\n",
        "+OK\r\n",
        ":1\r\n",
        "*2\r\n*12\r\n$4\r\nname\r\n$1\r\ng\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n0-0\r\n$12\r\nentries-read\r\n$-1\r\n$3\r\nlag\r\n:1\r\n*12\r\n$4\r\nname\r\n$2\r\ng2\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n2-1\r\n$12\r\nentries-read\r\n$-1\r\n$3\r\nlag\r\n:0\r\n",
        "*4\r\n:0\r\n$-1\r\n$-1\r\n*-1\r\n",
        "*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n2-1\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n",
        "*-1\r\n",
        "*3\r\n$3\r\n0-0\r\n*1\r\n$3\r\n2-1\r\n*0\r\n",
        "*20\r\n$6\r\nlength\r\n:1\r\n$15\r\nradix-tree-keys\r\n:1\r\n$16\r\nradix-tree-nodes\r\n:2\r\n$17\r\nlast-generated-id\r\n$3\r\n2-1\r\n$20\r\nmax-deleted-entry-id\r\n$3\r\n1-1\r\n$13\r\nentries-added\r\n:2\r\n$23\r\nrecorded-first-entry-id\r\n$3\r\n2-1\r\n$6\r\ngroups\r\n:2\r\n$11\r\nfirst-entry\r\n*2\r\n$3\r\n2-1\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n$10\r\nlast-entry\r\n*2\r\n$3\r\n2-1\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n",
        "*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n2-1\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n",
        "*-1\r\n",
        "-ERR no such key\r\n",
        "-ERR The ID specified in XADD is equal or smaller than the target stream top item\r\n",
        "-ERR The ID specified in XADD must be greater than 0-0\r\n",
        "-ERR Invalid stream ID specified as stream command argument\r\n",
        "-ERR syntax error, MAXLEN and MINID options at the same time are not compatible\r\n",
        "-ERR The LIMIT argument must be >= 0.\r\n",
        "-ERR syntax error, LIMIT cannot be used without specifying a trimming strategy\r\n",
        "-ERR The ID specified in XSETID is smaller than the target stream top item\r\n",
        "-NOGROUP No such consumer group 'nog' for key name 's'\r\n",
        "-ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would just return an empty result set.\r\n",
        "-ERR Invalid min-idle-time argument for XCLAIM\r\n",
        "-ERR Unrecognized XCLAIM option 'BOGUS'\r\n",
        "-ERR COUNT must be > 0\r\n",
        "*17\r\n+XGROUP <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n+CREATE <key> <groupname> <id|$> [option]\r\n+    Create a new consumer group. Options are:\r\n+    * MKSTREAM\r\n+      Create the empty stream if it does not exist.\r\n+    * ENTRIESREAD entries_read\r\n+      Set the group's entries_read counter (internal use).\r\n+CREATECONSUMER <key> <groupname> <consumer>\r\n+    Create a new consumer in the specified group.\r\n+DELCONSUMER <key> <groupname> <consumer>\r\n+    Remove the specified consumer.\r\n+DESTROY <key> <groupname>\r\n+    Remove the specified group.\r\n+SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]\r\n+    Set the current group ID and entries_read counter.\r\n+HELP\r\n+    Prints this help.\r\n",
    };

    private static final String[] RESP3 = {
        "$3\r\n1-1\r\n",
        "$3\r\n2-1\r\n",
        "_\r\n",
        "_\r\n",
        "*0\r\n",
        "*0\r\n",
        "*1\r\n*2\r\n$3\r\n2-1\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n",
        "+OK\r\n",
        "+OK\r\n",
        ":1\r\n",
        "*2\r\n%6\r\n$4\r\nname\r\n$1\r\ng\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n0-0\r\n$12\r\nentries-read\r\n_\r\n$3\r\nlag\r\n:1\r\n%6\r\n$4\r\nname\r\n$2\r\ng2\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n2-1\r\n$12\r\nentries-read\r\n_\r\n$3\r\nlag\r\n:0\r\n",
        "*4\r\n:0\r\n_\r\n_\r\n_\r\n",
        "%1\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n2-1\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n",
        "_\r\n",
        "*3\r\n$3\r\n0-0\r\n*1\r\n$3\r\n2-1\r\n*0\r\n",
        "%10\r\n$6\r\nlength\r\n:1\r\n$15\r\nradix-tree-keys\r\n:1\r\n$16\r\nradix-tree-nodes\r\n:2\r\n$17\r\nlast-generated-id\r\n$3\r\n2-1\r\n$20\r\nmax-deleted-entry-id\r\n$3\r\n1-1\r\n$13\r\nentries-added\r\n:2\r\n$23\r\nrecorded-first-entry-id\r\n$3\r\n2-1\r\n$6\r\ngroups\r\n:2\r\n$11\r\nfirst-entry\r\n*2\r\n$3\r\n2-1\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n$10\r\nlast-entry\r\n*2\r\n$3\r\n2-1\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n",
        "%1\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n2-1\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n",
        "_\r\n",
        "-ERR no such key\r\n",
        "-ERR The ID specified in XADD is equal or smaller than the target stream top item\r\n",
        "-ERR The ID specified in XADD must be greater than 0-0\r\n",
        "-ERR Invalid stream ID specified as stream command argument\r\n",
        "-ERR syntax error, MAXLEN and MINID options at the same time are not compatible\r\n",
        "-ERR The LIMIT argument must be >= 0.\r\n",
        "-ERR syntax error, LIMIT cannot be used without specifying a trimming strategy\r\n",
        "-ERR The ID specified in XSETID is smaller than the target stream top item\r\n",
        "-NOGROUP No such consumer group 'nog' for key name 's'\r\n",
        "-ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would just return an empty result set.\r\n",
        "-ERR Invalid min-idle-time argument for XCLAIM\r\n",
        "-ERR Unrecognized XCLAIM option 'BOGUS'\r\n",
        "-ERR COUNT must be > 0\r\n",
        "*17\r\n+XGROUP <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n+CREATE <key> <groupname> <id|$> [option]\r\n+    Create a new consumer group. Options are:\r\n+    * MKSTREAM\r\n+      Create the empty stream if it does not exist.\r\n+    * ENTRIESREAD entries_read\r\n+      Set the group's entries_read counter (internal use).\r\n+CREATECONSUMER <key> <groupname> <consumer>\r\n+    Create a new consumer in the specified group.\r\n+DELCONSUMER <key> <groupname> <consumer>\r\n+    Remove the specified consumer.\r\n+DESTROY <key> <groupname>\r\n+    Remove the specified group.\r\n+SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]\r\n+    Set the current group ID and entries_read counter.\r\n+HELP\r\n+    Prints this help.\r\n",
    };

    @Test
    void resp2() throws IOException {
        script(2, REQUESTS, RESP2);
    }

    @Test
    void resp3() throws IOException {
        script(3, REQUESTS, RESP3);
    }
}
