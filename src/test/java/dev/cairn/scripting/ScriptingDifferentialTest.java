package dev.cairn.scripting;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cairn.testing.RawConnection;
import dev.cairn.testing.RealRedis;
import dev.cairn.testing.TestServer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Sends the same scripts to Cairn and to a real redis-server 7.0 and compares the raw
 * reply bytes: conversions both ways, error texts and positions, the sandbox, the redis
 * API, math.random's sequence, and the libraries (cjson, cmsgpack, bit, struct). Both
 * servers start fresh, so the shared random sequence lines up.
 */
class ScriptingDifferentialTest {
    private static RealRedis real;
    private static TestServer cairn;

    @BeforeAll
    static void start() {
        real = RealRedis.start();
        cairn = TestServer.start();
    }

    @AfterAll
    static void stop() {
        real.close();
        cairn.close();
    }

    /** Runs every command on both servers over one connection each; compares each reply. */
    private static void compare(int protocol, List<String[]> commands) throws IOException {
        try (RawConnection expected = new RawConnection(real.port());
                RawConnection actual = new RawConnection(cairn.port())) {
            if (protocol == 3) {
                expected.call("HELLO", "3");
                actual.call("HELLO", "3");
            }
            List<String> failures = new ArrayList<>();
            for (String[] command : commands) {
                String want = expected.call(command);
                String got = actual.call(command);
                if (!want.equals(got)) {
                    failures.add(String.join(" ", command) + "\n   redis: " + printable(want) + "\n   cairn: "
                            + printable(got));
                }
            }
            assertEquals("", String.join("\n", failures));
        }
    }

    private static String printable(String s) {
        return s.replace("\r\n", "\\r\\n");
    }

    private static String[] eval(String script, String... keysAndArgs) {
        String[] c = new String[keysAndArgs.length + 2];
        c[0] = "EVAL";
        c[1] = script;
        System.arraycopy(keysAndArgs, 0, c, 2, keysAndArgs.length);
        if (keysAndArgs.length == 0) {
            c = new String[] {"EVAL", script, "0"};
        }
        return c;
    }

    private static String[] cmd(String... args) {
        return args;
    }

    @Test
    void luaToRedisConversions() throws IOException {
        List<String[]> cases = List.of(
                eval("return 1"), eval("return 3.99"), eval("return -3.7"), eval("return 3.99e20"),
                eval("return 0/0"), eval("return 1/0"), eval("return -1/0"), eval("return -0.5"),
                eval("return 'hello'"), eval("return ''"), eval("return 'a\\0b'"), eval("return '\\255\\1'"),
                eval("return true"), eval("return false"), eval("return nil"),
                eval("return {1, 2, 3, 'x', {4, 5}, true, false, 6}"),
                eval("return {1, nil, 3}"), eval("return {}"),
                eval("return {ok='fine'}"), eval("return {ok='a\\r\\nb'}"), eval("return {err='My error'}"),
                eval("return {err='nocode'}"), eval("return {err=1}"), eval("return {ok=1, 5}"),
                eval("return {err='E1', ok='x'}"), eval("return redis.status_reply('S')"),
                eval("return redis.error_reply('E x')"), eval("return redis.error_reply('-E x')"),
                eval("return redis.error_reply('')"), eval("return redis.error_reply(1)"),
                eval("return redis.status_reply()"), eval("return {double=3.5}"), eval("return {double='x'}"),
                eval("return {big_number='123'}"), eval("return {map={a=1}}"), eval("return {set={a=true}}"),
                eval("return {verbatim_string={format='txt', string='hi'}}"),
                eval("return {{ok='nested'}, {err='nested err'}}"),
                eval("return {1.5, 2.5, -2.5}"),
                eval("return setmetatable({}, {__index=function() return 1 end})"),
                eval("return function() end"), eval("return coroutine.create(function() end)"));
        compare(2, cases);
        compare(3, cases);
    }

    /** A table containing itself nests until Lua's stack limit, then an error ends it. */
    @Test
    void selfContainingTable() throws Exception {
        // The reply is 8,000 arrays deep: read it on a thread with room for that.
        Throwable[] failure = new Throwable[1];
        Thread reader = new Thread(null, () -> {
            try {
                compare(2, List.of(eval("local t = {} t[1] = t return t"), eval("return 'still fine'")));
            } catch (Throwable t) {
                failure[0] = t;
            }
        }, "deep-reply", 256L * 1024 * 1024);
        reader.start();
        reader.join();
        if (failure[0] != null) throw new AssertionError(failure[0]);
    }

    @Test
    void resp3Scripts() throws IOException {
        List<String[]> cases = List.of(
                eval("redis.setresp(3) return true"), eval("redis.setresp(3) return false"),
                eval("redis.setresp(3) return {double=3.5}"), eval("redis.setresp(3) return {big_number='1234'}"),
                eval("redis.setresp(3) return {map={k='v'}}"), eval("redis.setresp(3) return {set={m=true}}"),
                eval("redis.setresp(3) return redis.call('hello', '3')"),
                eval("redis.setresp(3) local r = redis.call('ping') return type(r) .. tostring(r.ok)"),
                eval("redis.setresp(3) return redis.call('get', 'missing')"),
                eval("redis.setresp(3) return type(redis.call('get', 'missing'))"),
                eval("redis.setresp(4)"), eval("redis.setresp()"));
        compare(2, cases);
        compare(3, cases);
    }

    @Test
    void redisToLuaConversions() throws IOException {
        compare(2, List.of(
                cmd("DEL", "s", "n", "missing"),
                cmd("SET", "s", "str"), cmd("SET", "n", "10"),
                eval("return redis.call('get', 's')"), eval("return redis.call('incr', 'n')"),
                eval("return type(redis.call('incr', 'n'))"),
                eval("return redis.call('get', 'missing')"), eval("return type(redis.call('get', 'missing'))"),
                eval("local r = redis.call('set', 'x', 'y') return r.ok"),
                eval("local r = redis.pcall('incr', 's') return r.err"),
                eval("local r = redis.pcall('incr', 's') return r.ignore_error_stats_update"),
                eval("return redis.pcall('incr', 's')"), eval("return redis.call('incr', 's')"),
                eval("return redis.call('mget', 's', 'missing', 'n')"),
                eval("return redis.call('echo', 12.5)"), eval("return redis.call('echo', 0.1)"),
                eval("return redis.call('echo', 100)"), eval("return redis.call('echo', -0)"),
                eval("return redis.call('echo', 1e100)"),
                eval("return redis.call('set', KEYS[1], ARGV[1])", "1", "k", "\u00e9t\u00e9"),
                eval("return redis.call('get', KEYS[1])", "1", "k"),
                eval("return {KEYS[1], KEYS[2], ARGV[1], ARGV[2], #KEYS, #ARGV}", "2", "a", "b", "c", "d"),
                eval("return redis.call('object', 'encoding', 'n')")));
    }

    @Test
    void errors() throws IOException {
        compare(2, List.of(
                cmd("SET", "s", "str"),
                eval("error('boom')"), eval("error({err='MY boom'})"), eval("error()"), eval("error(12)"),
                eval("error('lvl0', 0)"), eval("error('lvl2', 2)"),
                eval("local x = nil; return x.y"), eval("return 1 + {}"), eval("return #nil"),
                eval("return nosuch()"), eval("local t = {} t.f()"), eval("return ('x'):bad()"),
                eval("return redis.call()"), eval("return redis.call({})"), eval("return redis.pcall({})"),
                eval("return redis.call('nosuchcommand')"), eval("return redis.pcall('nosuchcommand')"),
                eval("return redis.call('get')"), eval("return redis.call('client', 'list')"),
                eval("return redis.call('ping', 1, 2, 3)"), eval("return redis.call('incr', 's')"),
                eval("redis.call('incr', 's') return 1"),
                eval("\nlocal a = 1\n\nreturn redis.call('incr', 's')"),
                eval("local ok, e = pcall(redis.call, 'incr', 's') return e"),
                eval("local ok, e = pcall(error, {err='x'}) return e"),
                eval("local ok, e = pcall(error, 'x') return e"),
                eval("local ok, e = pcall(function() local y = nil; return y.z end) return e"),
                eval("return pcall()"), eval("return {pcall(error)}"),
                eval("return redis.sha1hex()"), eval("return redis.log(1)"), eval("redis.log('x', 'y')"),
                eval("redis.log(9, 'y')"), eval("return redis.set_repl(9)"), eval("return redis.set_repl()"),
                eval("return math.random(0)"), eval("return math.random('x')"), eval("return math.random(3, 1)"),
                eval("return math.random(1, 2, 3)"),
                eval("return 1 +"), eval("retur 1"), eval("return 'unfinished"),
                cmd("EVAL", "return 1"), cmd("EVAL", "return 1", "x"), cmd("EVAL", "return 1", "2", "a"),
                cmd("EVAL", "return 1", "-1"), cmd("EVALSHA", "abc", "0"),
                cmd("EVALSHA", "ffffffffffffffffffffffffffffffffffffffff", "0"),
                eval("local t = setmetatable({}, {__index = function(t, k) error('in index') end}) return t.x"),
                eval("string.rep()"), eval("return string.rep('x', -1)"), eval("return ('x'):rep(3)"),
                eval("return table.concat({1, {}, 3})"), eval("return tostring(nil) .. nil")));
    }

    @Test
    void sandbox() throws IOException {
        compare(2, List.of(
                eval("x = 1"), eval("return y"), eval("redis.call = nil"), eval("string.foo = 1"),
                eval("rawset(_G, 'x', 1)"), eval("rawset({}, nil, 1)"), eval("rawset(1)"),
                eval("setmetatable(_G, nil)"), eval("getmetatable('').__index = nil"),
                eval("return getmetatable('').__index == string"), eval("return type(getmetatable(_G))"),
                eval("return type(getmetatable(string))"), eval("return getmetatable()"),
                eval("return rawget(_G, 'nope')"), eval("return _G.nope"), eval("return tostring(_G == _G._G)"),
                eval("return #_G"), eval("return type(_G.KEYS)"), eval("KEYS[1] = 'x' return KEYS", "1", "a"),
                eval("local n = 0 for k in pairs(string) do n = n + 1 end return n"),
                eval("local t = {} for k in pairs(_G) do t[#t + 1] = k end table.sort(t) return t"),
                eval("local t = {} for k in pairs(redis) do t[#t + 1] = k end table.sort(t) return t"),
                eval("local t = {} for k, v in pairs(math) do t[#t + 1] = k end table.sort(t) return t"),
                eval("return pairs(nil)"), eval("return next({})"), eval("return type(next(_G))"),
                eval("return print"), eval("return os"), eval("return io"), eval("return debug"),
                eval("return require"), eval("return dofile"), eval("return loadfile"), eval("return getfenv"),
                eval("return setfenv"), eval("return newproxy"), eval("return module"), eval("return package"),
                eval("return loadstring('return 1 + 1')()"), eval("local f = loadstring('x = 1') return {pcall(f)}"),
                eval("local f, e = loadstring(string.dump(function() end)) return e"),
                eval("local f, e = loadstring('\\27Lua', 'named') return e"),
                eval("return type(load(function() return nil end))"),
                eval("return _VERSION"), eval("return type(gcinfo())"), eval("return type(collectgarbage('count'))"),
                eval("return redis.REDIS_VERSION"), eval("return redis.REDIS_VERSION_NUM"),
                eval("return {redis.LOG_DEBUG, redis.LOG_VERBOSE, redis.LOG_NOTICE, redis.LOG_WARNING}"),
                eval("return {redis.REPL_NONE, redis.REPL_AOF, redis.REPL_SLAVE, redis.REPL_REPLICA, redis.REPL_ALL}"),
                eval("return redis.replicate_commands()"), eval("return redis.breakpoint()"),
                eval("return redis.debug('x')"), eval("return redis.sha1hex('')"),
                eval("return redis.sha1hex('abc')"), eval("return redis.set_repl(redis.REPL_ALL)"),
                eval("redis.log(redis.LOG_WARNING, 'from a script') return 1"),
                eval("return redis.acl_check_cmd('set', 'k', 'v')"), eval("return redis.acl_check_cmd('nosuch')"),
                eval("return tostring(setmetatable({}, {__tostring=function() return 'T' end}))"),
                eval("return coroutine.wrap(function() return redis.call('ping') end)()"),
                eval("return unpack({1, 2, 3})"), eval("local t = {} t[1] = 1 t[2] = 2 t[4] = 4 return #t"),
                eval("return string.format('%5.2f|%d|%s|%q', 3.14159, 42, 'x', 'a\\nb')"),
                eval("return tostring(1e15) .. ' ' .. tostring(0.1) .. ' ' .. 1 / 3"),
                eval("return {math.random(100), math.random(100), math.random(1, 6)}"),
                eval("math.randomseed(5) return {math.random(100), math.random(100)}"),
                eval("return tostring(math.random())")));
    }

    @Test
    void bitLibrary() throws IOException {
        compare(2, List.of(
                eval("return {bit.tobit(0xffffffff), bit.tobit(2^32 + 5), bit.tobit(-1), bit.tobit(1.5), bit.tobit(2.5)}"),
                eval("return {bit.bnot(0), bit.band(0xff, 0x0f, 0x3), bit.bor(1, 2, 4), bit.bxor(5, 3), bit.band()}"),
                eval("return bit.band()"), eval("return bit.bor(1, 'x')"), eval("return bit.bor('3', '4')"),
                eval("return {bit.lshift(1, 31), bit.rshift(-1, 28), bit.arshift(-256, 4), bit.rol(0x12345678, 8)}"),
                eval("return {bit.ror(0x12345678, 8), bit.bswap(0x12345678), bit.lshift(1, 33)}"),
                eval("return {bit.tohex(255), bit.tohex(-1, -4), bit.tohex(0x1234, 2), bit.tohex(1, 20)}"),
                eval("return bit.lshift(1)"), eval("return bit.tohex()"), eval("return bit.tobit(1e20)")));
    }

    @Test
    void structLibrary() throws IOException {
        compare(2, List.of(
                eval("return struct.pack('>i2 <i4 b B h H l L d f', 1, 2, -3, 250, -300, 60000, -5, 7, 1.5, 0.25)"),
                eval("return {struct.unpack('>i2 <i4 b B h H', struct.pack('>i2 <i4 b B h H', 1, 2, -3, 250, -300, 6e4))}"),
                eval("return {struct.unpack('d f', struct.pack('d f', 1.5, 0.1))}"),
                eval("return struct.pack('i3', 1)"), eval("return struct.pack('i33', 1)"),
                eval("return struct.pack('i99999999999', 1)"), eval("return struct.pack('!3i', 1)"),
                eval("return struct.pack('!4 b i', 1, 2)"), eval("return struct.pack('q', 1)"),
                eval("return struct.pack('i', 'x')"), eval("return struct.pack('c5', 'ab')"),
                eval("return struct.pack('c0 s', 'abc', 'xy')"), eval("return struct.pack()"),
                eval("return {struct.unpack('i', 'ab')}"), eval("return {struct.unpack('c0', 'ab')}"),
                eval("return {struct.unpack('>i2 c0 s', struct.pack('>i2 c0 s', 3, 'abc', 'xy'))}"),
                eval("return {struct.unpack('s', 'abc')}"), eval("return {struct.unpack('b', 'abc', 0)}"),
                eval("return {struct.unpack('b', 'abc', 3)}"), eval("return {struct.unpack('b')}"),
                eval("return struct.size('i')"), eval("return struct.size('!8 b d')"), eval("return struct.size('s')"),
                eval("return struct.size('c0')"), eval("return struct.pack('l', 2^63)"),
                eval("return struct.pack('l', -1.5)"), eval("return struct.pack('>I16', 1)"),
                eval("return struct.pack(12, 'x')")));
    }

    @Test
    void cjsonLibrary() throws IOException {
        compare(2, List.of(
                eval("return cjson.encode({1, 2, {a=1}, [[x/y\"z\\]], true, false, 1.5, 1/3, 1e20, -0})"),
                eval("return cjson.encode({})"), eval("return cjson.encode({[1]=1, [3]=3})"),
                eval("return cjson.encode({[1]=1, [20]=3})"), eval("return cjson.encode(1/0)"),
                eval("return cjson.encode(function() end)"), eval("return cjson.encode({[true]=1})"),
                eval("return cjson.encode('\\0\\1\\127\\128 /\\n\\r\\t\\b\\f')"), eval("return cjson.encode({[-1]=1})"),
                eval("return cjson.encode({[0]=1})"), eval("return cjson.encode({1, 2, x=3})"),
                eval("return cjson.encode({[1.5]=1})"), eval("return cjson.encode(cjson.null)"),
                eval("return cjson.encode()"), eval("return cjson.encode({1, 2, nil, 4})"),
                eval("local t = {} local c = t for i=1,1100 do c[1] = {} c = c[1] end return cjson.encode(t)"),
                eval("return cjson.encode({1e300, 123456789012345, 0.1, -7})"),
                eval("return cjson.decode('[1,2')"),
                eval("return cjson.decode([[{\"a\":[1,2,{\"b\":null}]}]]).a[3].b == cjson.null"),
                eval("return cjson.decode('nul')"), eval("return cjson.decode('0x10')"),
                eval("return cjson.decode([[ \"\\u00e9\\ud83d\\ude00\" ]])"),
                eval("return cjson.decode(string.rep('[', 1100))"), eval("return cjson.decode()"),
                eval("return cjson.decode('[1,2,3,]')"), eval("return cjson.decode([[{\"a\":1,}]])"),
                eval("return cjson.decode([[\"abc]])"), eval("return cjson.decode([[\"\\x\"]])"),
                eval("return cjson.decode([[\"\\u12\"]])"), eval("return cjson.decode('{1:2}')"),
                eval("return cjson.decode('- 1')"), eval("return cjson.decode('1e500')"),
                eval("return cjson.decode([[[1, true, false, null, \"x\"] ]])[5]"), eval("return cjson.decode('')"),
                eval("return cjson.decode('  ')"), eval("return cjson.decode('[1.5e3, -0.25, 1E2, 12]')"),
                eval("return cjson.decode([[{\"k\": [1, {\"z\": \"y\"}]}]]).k[2].z"),
                eval("return cjson.decode('+1')"), eval("return cjson.decode('Infinity')"),
                eval("return cjson.decode('[NaN]')[1] ~= cjson.decode('[NaN]')[1]"), eval("return cjson.decode('007')"),
                eval("return cjson.decode(5)"), eval("return cjson.decode({})"),
                eval("return {cjson.encode_sparse_array()}"), eval("return cjson.encode_max_depth(0)"),
                eval("return cjson.encode_max_depth(1, 2)"), eval("return cjson.encode_keep_buffer('x')"),
                eval("return cjson.encode_invalid_numbers('null')"), eval("return cjson.encode(0/0)"),
                eval("return cjson.encode_invalid_numbers(false)"),
                eval("return cjson._NAME .. cjson._VERSION"), eval("return cjson.new().encode({1})"),
                eval("local t = {} for k in pairs(cjson) do t[#t + 1] = k end table.sort(t) return t")));
    }

    @Test
    void cmsgpackLibrary() throws IOException {
        compare(2, List.of(
                eval("return cmsgpack.pack()"),
                eval("return cmsgpack.pack({1, 2, 3}, 'abc', 1.5, 2^40, -1, true, nil, {a=1}, false)"),
                eval("return cmsgpack.pack(0.1, -129, -33000, -2^40, 2^64, 1/0, 127, 128, 70000, -32, -33)"),
                eval("return cmsgpack.pack(string.rep('x', 40), string.rep('y', 300), {}, {[1]=1, [3]=3})"),
                eval("local t = {} local c = t for i=1,20 do c[1] = {} c = c[1] end return cmsgpack.pack(t)"),
                eval("return {cmsgpack.unpack(cmsgpack.pack(1, 'x', {1, 2}, {k='v'}))}"),
                eval("return cmsgpack.unpack('\255\1')"), eval("return cmsgpack.unpack('\218\0')"),
                eval("return {cmsgpack.unpack_one(cmsgpack.pack(1, 2, 3))}"),
                eval("return {cmsgpack.unpack_limit(cmsgpack.pack(1, 2, 3), 2, 1)}"),
                eval("return {cmsgpack.unpack_one('\1', 5)}"), eval("return {cmsgpack.unpack('\196\1x')}"),
                eval("return {cmsgpack.unpack(cmsgpack.pack(-1.5, 2^53, -2^63, 0.25))}"),
                eval("return cmsgpack.unpack()"), eval("return {cmsgpack.unpack('')}"),
                eval("return {cmsgpack.unpack_limit('\1\2', 0, 0)}"),
                eval("return cmsgpack.unpack('\\129\\192\\1')"),
                eval("return cmsgpack.unpack('\\129\\203\\255\\248\\0\\0\\0\\0\\0\\0\\1')"),
                eval("return {struct.unpack(string.rep('b', 100), string.rep('a', 100))}"),
                eval("local t = {} for k, v in pairs(cmsgpack) do t[#t + 1] = k end table.sort(t) return t")));
    }

    private static final String LIB1 = "#!lua name=mylib\n"
            + "redis.register_function{function_name='f1', callback=function(k, a) return {k[1], a[1], #k, #a} end, "
            + "flags={'no-writes', 'allow-oom'}, description='desc one'}\n"
            + "redis.register_function('f2', function(k, a) return redis.call('set', k[1], a[1]) end)\n"
            + "redis.register_function('F3', function(k, a) error('boom') end)";

    private static final String LISTED = "#!lua name=listed\n"
            + "redis.register_function{function_name='only', callback=function(k, a) return 1 end, "
            + "flags={'no-writes', 'allow-oom', 'allow-stale', 'no-cluster', 'allow-cross-slot-keys'}, "
            + "description='the only one'}";

    @Test
    void functions() throws IOException {
        compare(2, List.of(
                cmd("FUNCTION", "FLUSH"),
                cmd("FUNCTION", "LOAD", "return 1"), cmd("FUNCTION", "LOAD", "#!lua"),
                cmd("FUNCTION", "LOAD", "#!lua name=mylib"), cmd("FUNCTION", "LOAD", "#!lua name=my-lib\nreturn 1"),
                cmd("FUNCTION", "LOAD", "#!luax name=x\n"), cmd("FUNCTION", "LOAD", "#!lua name=x foo=bar\n"),
                cmd("FUNCTION", "LOAD", "#!lua\n"), cmd("FUNCTION", "LOAD", "#!lua name=a name=b\n"),
                cmd("FUNCTION", "LOAD", "#!lua name=empty\n"),
                // The order of a library's functions in FUNCTION LIST is a hash table's in Redis: one each.
                cmd("FUNCTION", "LOAD", LISTED), cmd("FUNCTION", "LIST"),
                cmd("FUNCTION", "LIST", "WITHCODE", "LIBRARYNAME", "list*"), cmd("FUNCTION", "DUMP"),
                cmd("FUNCTION", "DELETE", "listed"),
                cmd("FUNCTION", "LOAD", LIB1), cmd("FUNCTION", "LOAD", LIB1),
                cmd("FUNCTION", "LIST", "LIBRARYNAME", "nomatch*"), cmd("FUNCTION", "LIST", "LIBRARYNAME"),
                cmd("FUNCTION", "LIST", "foo"), cmd("FUNCTION", "STATS"),
                cmd("FCALL", "f1", "1", "key", "arg"), cmd("FCALL", "F1", "0"), cmd("FCALL", "f2", "1", "k", "v"),
                cmd("FCALL", "f3", "0"), cmd("FCALL", "nope", "0"), cmd("FCALL", "f1", "-1"),
                cmd("FCALL", "f1", "5"), cmd("FCALL", "f1", "x"), cmd("FCALL_RO", "f1", "0"),
                cmd("FCALL_RO", "f2", "1", "k", "v"),
                cmd("FUNCTION", "LOAD", "#!lua name=lib2\nredis.register_function('f1', function() return 1 end)"),
                cmd("FUNCTION", "LOAD", "#!lua name=lib3\nredis.call('ping')"),
                cmd("FUNCTION", "LOAD", "#!lua name=lib3\nredis.register_function('bad name', function() end)"),
                cmd("FUNCTION", "LOAD", "#!lua name=lib3\nredis.register_function('f3x', 5)"),
                cmd("FUNCTION", "LOAD", "#!lua name=lib4\nredis.register_function{function_name='f4', "
                        + "callback=function() return 3 end, flags={'bogus'}}"),
                cmd("FUNCTION", "LOAD", "#!lua name=lib4\nredis.register_function{function_name='f4', "
                        + "callback=function() return 3 end, foo=1}"),
                cmd("FUNCTION", "LOAD", "#!lua name=lib4\nredis.register_function{callback=function() end}"),
                cmd("FUNCTION", "LOAD", "#!lua name=lib4\nredis.register_function{function_name='x'}"),
                cmd("FUNCTION", "LOAD", "#!lua name=lib4\nredis.register_function()"),
                cmd("FUNCTION", "LOAD", "#!lua name=lib4\nredis.register_function(1)"),
                cmd("FUNCTION", "LOAD", "#!lua name=lib4\nreturn 1 +"),
                cmd("FUNCTION", "LOAD", "#!lua name=lib4\nx = 1"),
                cmd("FUNCTION", "LOAD", "#!lua name=lib4\nlocal t = {} t.x()"),
                cmd("FUNCTION", "LOAD", "#!lua name=lib4\nlocal s = string.format('%d', 1)"),
                cmd("FUNCTION", "LOAD", "#!lua name=lib4\nredis.register_function('ff', function() end)\n"
                        + "redis.register_function('ff', function() end)"),
                cmd("FUNCTION", "LOAD", "REPLACE", "#!lua name=mylib\nredis.register_function('g1', "
                        + "function(k, a) return {type(KEYS)} end)"),
                cmd("FCALL", "f1", "0"), cmd("FCALL", "g1", "0"),
                cmd("FUNCTION", "LOAD", "#!lua name=lib5\nredis.register_function('g5', "
                        + "function(k, a) redis.setresp(3) return {redis.call('ping'), type(redis.call), _G == nil} end)"),
                cmd("FCALL", "g5", "0"),
                cmd("FUNCTION", "DELETE", "lib5"), cmd("FUNCTION", "DELETE", "lib5"), cmd("FCALL", "g5", "0"),
                cmd("FUNCTION", "LOAD", "replace"), cmd("FUNCTION", "LOAD", "foo", "#!lua"),
                cmd("FUNCTION", "RESTORE", "xx"), cmd("FUNCTION", "RESTORE", "xx", "bogus"),
                cmd("FUNCTION", "RESTORE", "xx", "flush", "more"),
                cmd("FUNCTION", "FLUSH", "x"), cmd("FUNCTION", "FLUSH", "sync", "x"), cmd("FUNCTION", "KILL"),
                cmd("FUNCTION", "LOAD", "#!lua name=slow\nwhile true do end"),
                cmd("FUNCTION", "LOAD", "#!lua name=late\nredis.register_function('late', function() "
                        + "redis.register_function('x', function() end) end)"),
                cmd("FCALL", "late", "0"),
                cmd("FUNCTION", "LOAD", "#!lua name=errs\nredis.register_function('errs', function(k, a)\n"
                        + "  if a[1] == 'call' then return redis.call('incr', 'text') end\n"
                        + "  if a[1] == 'lua' then local t = nil; return t.x end\n"
                        + "  if a[1] == 'table' then return {1, {ok='fine'}, {double=1.5}, false} end\n"
                        + "  return redis.sha1hex(a[1])\nend)"),
                cmd("SET", "text", "abc"), cmd("FCALL", "errs", "0", "call"), cmd("FCALL", "errs", "0", "lua"),
                cmd("FCALL", "errs", "0", "table"), cmd("FCALL", "errs", "0", "abc"), cmd("FCALL", "errs", "0"),
                cmd("FUNCTION", "HELP"), cmd("FUNCTION", "NOPE"), cmd("FUNCTION", "FLUSH", "ASYNC"),
                cmd("FUNCTION", "LIST"), cmd("FUNCTION", "DUMP")));
    }

    /** Errors of commands a script calls count once, where they happen; the script's own errors count too. */
    @Test
    void errorStatistics() throws IOException {
        List<String[]> script = List.of(
                cmd("SET", "s", "text"),
                eval("return redis.call('incr', 's')"), eval("return redis.pcall('incr', 's')"),
                eval("error('x')"), eval("return {err='MINE y'}"), eval("return redis.call('nosuch')"),
                eval("return redis.error_reply('OWN code')"));
        for (int port : new int[] {real.port(), cairn.port()}) {
            try (RawConnection c = new RawConnection(port)) {
                c.call("CONFIG", "RESETSTAT");
                for (String[] command : script) c.call(command);
            }
        }
        try (RawConnection expected = new RawConnection(real.port());
                RawConnection actual = new RawConnection(cairn.port())) {
            assertEquals(expected.call("INFO", "errorstats"), actual.call("INFO", "errorstats"));
            assertEquals(failedCalls(expected.call("INFO", "commandstats")), failedCalls(actual.call("INFO", "commandstats")));
        }
    }

    /** The calls and failed calls of EVAL, INCR and SET in an INFO commandstats reply. */
    private static String failedCalls(String info) {
        java.util.TreeSet<String> sorted = new java.util.TreeSet<>();
        for (String line : info.split("\r\n")) {
            if (line.startsWith("cmdstat_eval:") || line.startsWith("cmdstat_incr:") || line.startsWith("cmdstat_set:")) {
                sorted.add(line.substring(0, line.indexOf(':')) + ' '
                        + line.replaceAll(".*(calls=\\d+).*(rejected_calls=\\d+,failed_calls=\\d+).*", "$1 $2"));
            }
        }
        return String.join("\n", sorted);
    }

    @Test
    void scriptCache() throws IOException {
        compare(2, List.of(
                cmd("SCRIPT", "FLUSH"),
                cmd("SCRIPT", "LOAD", "return 'loaded'"),
                cmd("EVALSHA", "0f7a7e24c8dd1b3e5a2b0d3e3a4ac1fa7a08c31b", "0"),
                cmd("SCRIPT", "EXISTS", "b8dbcb9a5e2b1fe8bb3c5ea1dc80c8f4e1f5e0f6", "nope"),
                cmd("SCRIPT", "LOAD", "return 1 +"), cmd("SCRIPT", "LOAD", "#!lua\nreturn 1"),
                cmd("SCRIPT", "LOAD", "#!lua"), cmd("SCRIPT", "LOAD", "#!luax\nreturn 1"),
                cmd("SCRIPT", "LOAD", "#!lua flags=no-writes,allow-oom\nreturn 1"),
                cmd("SCRIPT", "LOAD", "#!lua flags=bogus\nreturn 1"),
                cmd("SCRIPT", "LOAD", "#!lua name=x\nreturn 1"),
                cmd("SCRIPT", "LOAD", "#!lua flags=\nreturn 1"),
                cmd("SCRIPT", "LOAD", "#!lua \"unbalanced\nreturn 1"),
                cmd("SCRIPT", "LOAD", "#!lua flags=allow-cross-slot-keys\nreturn 1"),
                cmd("SCRIPT", "EXISTS", "e0e1f9fabfc9d4800c877a703b823ac0578ff8db"),
                cmd("EVALSHA", "E0E1F9FABFC9D4800C877A703B823AC0578FF8DB", "0"),
                cmd("EVAL", "#!lua flags=no-writes\nreturn redis.call('set', 'a', 'b')", "0"),
                cmd("EVAL", "#!lua\nreturn redis.call('set', 'a', 'b')", "0"),
                cmd("EVAL_RO", "#!lua\nreturn 1", "0"),
                cmd("EVAL_RO", "#!lua flags=no-writes\nreturn redis.call('get', 'a')", "0"),
                cmd("EVAL_RO", "return redis.call('set', 'a', 'b')", "0"),
                cmd("EVAL_RO", "return redis.call('get', 'a')", "0"),
                cmd("EVALSHA_RO", "e0e1f9fabfc9d4800c877a703b823ac0578ff8db", "0"),
                cmd("EVAL", "#!lua\nerror('line two')", "0"),
                cmd("EVAL", "\27LuaQ", "0"),
                cmd("SCRIPT", "FLUSH", "ASYNC"), cmd("SCRIPT", "FLUSH", "SYNC"), cmd("SCRIPT", "FLUSH", "x"),
                cmd("SCRIPT", "FLUSH", "SYNC", "x"),
                cmd("SCRIPT", "EXISTS", "e0e1f9fabfc9d4800c877a703b823ac0578ff8db"),
                cmd("SCRIPT", "KILL"), cmd("SCRIPT", "HELP"), cmd("SCRIPT", "NOPE"), cmd("SCRIPT"),
                cmd("SCRIPT", "DEBUG", "NO"), cmd("SCRIPT", "DEBUG", "maybe")));
    }
}
