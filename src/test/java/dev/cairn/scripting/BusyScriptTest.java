package dev.cairn.scripting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.testing.Eventually;
import dev.cairn.testing.RawConnection;
import dev.cairn.testing.TestServer;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * Scripts running past busy-reply-threshold: other clients get BUSY and may only stop
 * the script (SCRIPT KILL / FUNCTION KILL) or the server (SHUTDOWN NOSAVE); a script that
 * wrote cannot be killed. Each test runs its own server with the threshold lowered.
 */
class BusyScriptTest {
    private static final String LOOP = "while true do end";
    private static final String BUSY_EVAL = "-BUSY Redis is busy running a script. You can only call SCRIPT KILL or "
            + "SHUTDOWN NOSAVE.\r\n";

    /** Waits until {@code probe} gets BUSY: the script went past the threshold. */
    private static void awaitBusy(RawConnection probe) {
        Eventually.until("the script to make the server busy", () -> {
            try {
                return probe.call("PING").equals(BUSY_EVAL);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void scriptKillStopsAScriptThatDidNotWrite() throws IOException {
        try (TestServer server = TestServer.start("--busy-reply-threshold", "100");
                RawConnection runner = new RawConnection(server.port());
                RawConnection other = new RawConnection(server.port())) {
            assertEquals("-NOTBUSY No scripts in execution right now.\r\n", other.call("SCRIPT", "KILL"));
            runner.command("EVAL", LOOP, "0");
            awaitBusy(other);
            assertEquals(BUSY_EVAL, other.call("GET", "k"));
            assertEquals(BUSY_EVAL, other.call("SHUTDOWN"));
            // A connection opened while the script runs is served too.
            try (RawConnection late = new RawConnection(server.port())) {
                assertEquals(BUSY_EVAL, late.call("PING"));
                assertEquals("+OK\r\n", late.call("SCRIPT", "KILL"));
            }
            assertEquals("-ERR Script killed by user with SCRIPT KILL... script: " + RedisApi.sha1hex(LOOP) + ", on @user_script:1.\r\n", runner.readReply());
            assertEquals("+PONG\r\n", other.call("PING"));
            assertEquals("+PONG\r\n", runner.call("PING"));
            // The Lua state is usable again.
            assertEquals(":3\r\n", runner.call("EVAL", "return 1 + 2", "0"));
        }
    }

    @Test
    void functionKillStopsABusyFunction() throws IOException {
        String busyFunction = "-BUSY Redis is busy running a script. You can only call FUNCTION KILL or "
                + "SHUTDOWN NOSAVE.\r\n";
        try (TestServer server = TestServer.start("--busy-reply-threshold", "100");
                RawConnection runner = new RawConnection(server.port());
                RawConnection other = new RawConnection(server.port())) {
            assertEquals("$4\r\nspin\r\n", runner.call("FUNCTION", "LOAD",
                    "#!lua name=spin\nredis.register_function('spin', function() " + LOOP + " end)"));
            runner.command("FCALL", "spin", "0");
            Eventually.until("the function to make the server busy", () -> {
                try {
                    return other.call("PING").equals(busyFunction);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertEquals(busyFunction, other.call("SCRIPT", "KILL"));
            String stats = other.call("FUNCTION", "STATS");
            assertTrue(stats.startsWith("*4\r\n$14\r\nrunning_script\r\n*6\r\n$4\r\nname\r\n$4\r\nspin\r\n"
                    + "$7\r\ncommand\r\n*3\r\n$5\r\nFCALL\r\n$4\r\nspin\r\n$1\r\n0\r\n$11\r\nduration_ms\r\n"), stats);
            assertEquals("+OK\r\n", other.call("FUNCTION", "KILL"));
            assertEquals("-ERR Script killed by user with SCRIPT KILL... script: spin, on @user_function:2.\r\n",
                    runner.readReply());
            assertEquals("+PONG\r\n", other.call("PING"));
        }
    }

    @Test
    void theCallersPipelinedRequestsWaitForTheScript() throws IOException {
        try (TestServer server = TestServer.start("--busy-reply-threshold", "50");
                RawConnection runner = new RawConnection(server.port());
                RawConnection other = new RawConnection(server.port())) {
            // Runs for two seconds of server time.
            String script = "local function now() local t = redis.call('time') return t[1] * 1e6 + t[2] end "
                    + "local start, i = now(), 0 "
                    + "while true do i = i + 1 if i % 100000 == 0 and now() - start > 2e6 then break end end "
                    + "return 'done'";
            runner.send(RawConnection.request("EVAL", script, "0") + RawConnection.request("PING"));
            awaitBusy(other);
            assertEquals("$4\r\ndone\r\n", runner.readReply());
            assertEquals("+PONG\r\n", runner.readReply());
            assertEquals("+PONG\r\n", other.call("PING"));
        }
    }

    @Test
    void aScriptThatWroteIsUnkillableAndShutdownNosaveStopsTheServer() throws IOException {
        // Not closed by the test: SHUTDOWN NOSAVE stops it.
        TestServer server = TestServer.start("--busy-reply-threshold", "100");
        try (RawConnection runner = new RawConnection(server.port());
                RawConnection other = new RawConnection(server.port())) {
            runner.command("EVAL", "redis.call('set', 'x', 'y') " + LOOP, "0");
            awaitBusy(other);
            assertEquals("-UNKILLABLE Sorry the script already executed write commands against the dataset. You "
                    + "can either wait the script termination or kill the server in a hard way using the SHUTDOWN "
                    + "NOSAVE command.\r\n", other.call("SCRIPT", "KILL"));
            assertEquals(BUSY_EVAL, other.call("SHUTDOWN"));
            other.command("SHUTDOWN", "NOSAVE");
            assertTrue(other.closedByServer());
            assertTrue(runner.closedByServer());
        }
    }
}
