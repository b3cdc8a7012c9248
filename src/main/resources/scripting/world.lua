-- The Lua world Redis 7.0 gives scripts, built on a stock Lua 5.1 state.
--
-- Loaded once per state by LuaRuntime with the chunk name "=cairn", after the standard
-- libraries are opened. It receives the Java functions (a table) and returns the
-- internal entry points Java needs. Everything a script can see is set up here:
--
--   * the globals Redis leaves (base functions, string, table, math, coroutine, bit,
--     cjson, struct, cmsgpack, redis) and nothing else (no io, os, debug, print,
--     dofile, loadfile, require, getfenv, setfenv, newproxy);
--   * Redis's read-only tables: Redis patches its Lua VM so that every table reachable
--     from the globals refuses writes ("Attempt to modify a readonly table"). A stock VM
--     has no such flag, so each of those tables is replaced by an empty proxy whose
--     metatable reads through to the real table and refuses writes; the functions that
--     bypass metatables (rawset, rawget, next, pairs, setmetatable, getmetatable) are
--     wrapped to see through proxies the way Redis's VM sees the real tables;
--   * reading a missing global raises "Script attempted to access nonexistent global
--     variable";
--   * __redis__err__handler, the pcall error handler that adds source and line.
--
-- Java functions cannot raise Lua errors through the bindings, so every library
-- function that can fail is a small Lua function here that calls Java and raises what
-- Java reports. The error handler treats these frames (source "=cairn") the way Redis
-- treats its C functions: the line reported is the script's.
local java = ...

local G = _G
local type, tostring, tonumber, select, error, rawget, rawset, rawequal, next, pairs, ipairs =
    type, tostring, tonumber, select, error, rawget, rawset, rawequal, next, pairs, ipairs
local setmetatable, getmetatable, pcall, loadstring, load, unpack = setmetatable, getmetatable, pcall, loadstring,
    load, unpack
local string_byte, string_sub, string_find, string_format, string_rep = string.byte, string.sub, string.find,
    string.format, string.rep
local floor = math.floor
local getinfo, sethook = debug.getinfo, debug.sethook
local GLUE = debug.getinfo(1, 'S').source

-- Names of the values a C function's argument check reports (luaL_typename).
local function typename(n, ...)
    if select('#', ...) < n then return 'no value' end
    return type((select(n, ...)))
end

-- luaL_error from one of Redis's C functions: the message is prefixed with the position
-- of the script code that called the library function (the first frame that is not glue).
local function raise(msg)
    local level = 2
    local i = getinfo(level, 'Sl')
    -- Glue frames, and the marks glue functions leave by tail-calling each other.
    while i and (i.source == GLUE or i.what == 'tail') do
        level = level + 1
        i = getinfo(level, 'Sl')
    end
    if i and i.currentline > 0 then msg = i.short_src .. ':' .. i.currentline .. ': ' .. msg end
    error(msg, 0)
end

local function argerror(n, fname, extra)
    raise('bad argument #' .. n .. " to '" .. fname .. "' (" .. extra .. ')')
end

local function checktable(n, fname, ...)
    local t = typename(n, ...)
    if t ~= 'table' then argerror(n, fname, 'table expected, got ' .. t) end
end

-- ---- errors in Redis's table form -----------------------------------------------------

-- luaPushErrorBuff: "-CODE msg" or "msg" (code ERR), line breaks trimmed at both ends.
local function error_table(text)
    local code, msg
    if string_sub(text, 1, 1) == '-' then
        local space = string_find(text, ' ', 1, true)
        if space then
            code, msg = string_sub(text, 2, space - 1), string_sub(text, space + 1)
        else
            code, msg = 'ERR', string_sub(text, 2)
        end
    else
        code, msg = 'ERR', text
    end
    msg = string.match(msg, '^[\r\n]*(.-)[\r\n]*$')
    return { err = code .. ' ' .. msg }
end

-- Strings end at their first NUL where Redis copies them with lua_pushstring.
local function cstring(s)
    local nul = string_find(s, '\0', 1, true)
    if nul then return string_sub(s, 1, nul - 1) end
    return s
end

-- ---- read-only tables -------------------------------------------------------------------

local backing = setmetatable({}, { __mode = 'k' })   -- proxy -> real table
local proxy_of = setmetatable({}, { __mode = 'k' })  -- real table -> proxy
local READONLY = 'Attempt to modify a readonly table'

-- The bindings' C code keeps the last Java exception in this global.
local BINDINGS_GLOBAL = '__jthrowable__'

local function refuse_write(t, k, v)
    if k == BINDINGS_GLOBAL and backing[t] == G then
        rawset(G, k, v)
        return
    end
    error(READONLY, 2)
end

local function protect(real)
    local p = proxy_of[real]
    if p then return p end
    p = {}
    proxy_of[real] = p
    backing[p] = real
    setmetatable(p, { __index = real, __newindex = refuse_write, __metatable = false })
    return p
end

-- What a script sees of a value: the proxy of a protected table.
local function visible(v)
    if type(v) == 'table' then return proxy_of[v] or v end
    return v
end

local function real_of(t)
    return backing[t] or t
end

-- ---- the redis table -------------------------------------------------------------------

local redis = {}
local jcall = java.call
function redis.call(...)
    local reply, raise = jcall(...)
    if raise then error(reply) end
    return reply
end
redis.pcall = java.pcall

local jsha1hex = java.sha1hex
function redis.sha1hex(...)
    if select('#', ...) ~= 1 then error(error_table('wrong number of arguments')) end
    return jsha1hex(...)
end

function redis.error_reply(...)
    local e = ...
    if select('#', ...) ~= 1 or type(e) ~= 'string' then return error_table('wrong number or type of arguments') end
    e = cstring(e)
    if string_sub(e, 1, 1) ~= '-' then e = '-' .. e end
    return error_table(e)
end

function redis.status_reply(...)
    local s = ...
    if select('#', ...) ~= 1 or type(s) ~= 'string' then return error_table('wrong number or type of arguments') end
    return { ok = s }
end

local jlog = java.log
function redis.log(...)
    local argc = select('#', ...)
    if argc < 2 then error(error_table('redis.log() requires two arguments or more.')) end
    local level = tonumber((...))
    if level == nil then error(error_table('First argument must be a number (log level).')) end
    level = java.toint(level)
    if level < 0 or level > 3 then error(error_table('Invalid debug level.')) end
    jlog(level, ...)
end
redis.LOG_DEBUG, redis.LOG_VERBOSE, redis.LOG_NOTICE, redis.LOG_WARNING = 0, 1, 2, 3

local jsetresp = java.setresp
function redis.setresp(...)
    if select('#', ...) ~= 1 then error(error_table('redis.setresp() requires one argument.')) end
    local resp = java.toint(tonumber((...)) or 0)
    if resp ~= 2 and resp ~= 3 then error(error_table('RESP version must be 2 or 3.')) end
    jsetresp(resp)
end

local jsetrepl = java.set_repl
function redis.set_repl(...)
    if select('#', ...) ~= 1 then error(error_table('redis.set_repl() requires two arguments.')) end
    local flags = java.toint(tonumber((...)) or 0)
    if flags < 0 or flags > 3 then
        error(error_table('Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.'))
    end
    jsetrepl(flags)
end
redis.REPL_NONE, redis.REPL_AOF, redis.REPL_SLAVE, redis.REPL_REPLICA, redis.REPL_ALL = 0, 1, 2, 2, 3

local jaclcheck = java.acl_check_cmd
function redis.acl_check_cmd(...)
    local allowed, err = jaclcheck(...)
    if err then error(err) end
    return allowed
end

function redis.replicate_commands() return true end
function redis.breakpoint() return false end
function redis.debug() end

redis.REDIS_VERSION = java.version
redis.REDIS_VERSION_NUM = java.version_num

G.redis = redis

-- ---- math.random with Redis's generator ------------------------------------------------

local jrandom, jrandomseed = java.random, java.randomseed
local toint = java.toint

local function checkint(n, fname, ...)
    local v = tonumber((select(n, ...)))
    if v == nil then argerror(n, fname, 'number expected, got ' .. typename(n, ...)) end
    return toint(v)
end

function math.random(...)
    local argc = select('#', ...)
    local r = jrandom()
    if argc == 0 then return r end
    if argc == 1 then
        local u = checkint(1, 'random', ...)
        if u < 1 then argerror(1, 'random', 'interval is empty') end
        return floor(r * u) + 1
    end
    if argc == 2 then
        local l = checkint(1, 'random', ...)
        local u = checkint(2, 'random', ...)
        if l > u then argerror(2, 'random', 'interval is empty') end
        return floor(r * (u - l + 1)) + l
    end
    raise('wrong number of arguments')
end

function math.randomseed(...)
    jrandomseed(checkint(1, 'randomseed', ...))
end

-- ---- libraries implemented in Java (LuaLibraries) -------------------------------------
-- Each function checks its arguments as the C library does, then calls Java, which
-- returns true and the results, or false and the error to raise.

local function results(ok, ...)
    if ok then return ... end
    local message, bare = ...
    if bare then error(message, 0) end
    raise(message)
end

-- luaL_checknumber: numbers, or strings that convert.
local function checknumber(n, fname, ...)
    local v = select(n, ...)
    if type(v) == 'number' then return v end
    local x = type(v) == 'string' and tonumber(v) or nil
    if x == nil then argerror(n, fname, 'number expected, got ' .. typename(n, ...)) end
    return x
end

-- luaL_checkinteger / luaL_checkint: a number truncated to an integer.
local function checkinteger(n, fname, ...)
    return toint(checknumber(n, fname, ...))
end

local function optinteger(n, fname, default, ...)
    local v = select(n, ...)
    if v == nil then return default end
    return checkinteger(n, fname, ...)
end

-- luaL_checklstring: strings, or numbers (converted).
local function checkstring(n, fname, ...)
    local v = select(n, ...)
    if type(v) == 'string' then return v end
    if type(v) == 'number' then return tostring(v) end
    argerror(n, fname, 'string expected, got ' .. typename(n, ...))
end

-- bit (LuaBitOp 1.0.2)
local jbit = java.bit_op
local bit = {}
for _, name in ipairs({ 'tobit', 'bnot', 'bswap' }) do
    bit[name] = function(...) return results(jbit(name, checknumber(1, name, ...))) end
end
for _, name in ipairs({ 'band', 'bor', 'bxor' }) do
    bit[name] = function(...)
        local argc = select('#', ...)
        local args = { checknumber(1, name, ...) }
        for i = argc, 2, -1 do args[i] = checknumber(i, name, ...) end
        return results(jbit(name, unpack(args, 1, argc > 0 and argc or 1)))
    end
end
for _, name in ipairs({ 'lshift', 'rshift', 'arshift', 'rol', 'ror' }) do
    bit[name] = function(...)
        local b = checknumber(1, name, ...)
        return results(jbit(name, b, checknumber(2, name, ...)))
    end
end
function bit.tohex(...)
    local b = checknumber(1, 'tohex', ...)
    if select('#', ...) < 2 then return results(jbit('tohex', b)) end
    return results(jbit('tohex', b, checknumber(2, 'tohex', ...)))
end
G.bit = bit

-- struct (struct 0.2)
local jpack, junpack, jsize = java.struct_pack, java.struct_unpack, java.struct_size
local struct = {}
function struct.pack(...)
    checkstring(1, 'pack', ...)
    return results(jpack(...))
end
function struct.unpack(...)
    local fmt = checkstring(1, 'unpack', ...)
    local data = checkstring(2, 'unpack', ...)
    local pos = optinteger(3, 'unpack', 1, ...)
    if pos <= 0 then argerror(3, 'unpack', 'offset must be 1 or greater') end
    return results(junpack(fmt, data, pos))
end
function struct.size(...)
    return results(jsize(checkstring(1, 'size', ...)))
end
G.struct = struct

-- cjson (lua-cjson 2.1.0); each instance (cjson.new) has its own settings.
local jencode, jdecode = java.cjson_encode, java.cjson_decode
local NULL = java.null()
local INT_MAX = 2147483647

local function make_cjson()
    local cfg = {
        sparse_convert = 0, sparse_ratio = 2, sparse_safe = 10, encode_max_depth = 1000,
        decode_max_depth = 1000, encode_invalid_numbers = 0, decode_invalid_numbers = 1,
        encode_number_precision = 14, encode_keep_buffer = 1,
    }
    local lib = { _NAME = 'cjson', _VERSION = '2.1.0', null = NULL }

    local function arg_init(fname, args, ...)
        if select('#', ...) > args then argerror(args + 1, fname, 'found too many arguments') end
    end
    local function integer_option(fname, n, key, min, max, ...)
        if select(n, ...) ~= nil then
            local value = checkinteger(n, fname, ...)
            if value < min or value > max then
                argerror(1, fname, 'expected integer between ' .. min .. ' and ' .. max)
            end
            cfg[key] = value
        end
        return cfg[key]
    end
    local function enum_option(fname, n, key, options, bool_true, ...)
        if not options then
            options = { 'off', 'on' }
            bool_true = 1
        end
        local v = select(n, ...)
        if v ~= nil then
            if bool_true and type(v) == 'boolean' then
                cfg[key] = v and bool_true or 0
            else
                local name = checkstring(n, fname, ...)
                local found
                for i, o in ipairs(options) do if o == name then found = i - 1 end end
                if not found then argerror(n, fname, "invalid option '" .. cstring(name) .. "'") end
                cfg[key] = found
            end
        end
        if bool_true and (cfg[key] == 0 or cfg[key] == bool_true) then return cfg[key] ~= 0 end
        return options[cfg[key] + 1]
    end

    function lib.encode_sparse_array(...)
        arg_init('encode_sparse_array', 3, ...)
        return enum_option('encode_sparse_array', 1, 'sparse_convert', nil, 1, ...),
            integer_option('encode_sparse_array', 2, 'sparse_ratio', 0, INT_MAX, ...),
            integer_option('encode_sparse_array', 3, 'sparse_safe', 0, INT_MAX, ...)
    end
    function lib.encode_max_depth(...)
        arg_init('encode_max_depth', 1, ...)
        return integer_option('encode_max_depth', 1, 'encode_max_depth', 1, INT_MAX, ...)
    end
    function lib.decode_max_depth(...)
        arg_init('decode_max_depth', 1, ...)
        return integer_option('decode_max_depth', 1, 'decode_max_depth', 1, INT_MAX, ...)
    end
    function lib.encode_number_precision(...)
        arg_init('encode_number_precision', 1, ...)
        return integer_option('encode_number_precision', 1, 'encode_number_precision', 1, 14, ...)
    end
    function lib.encode_keep_buffer(...)
        arg_init('encode_keep_buffer', 1, ...)
        return enum_option('encode_keep_buffer', 1, 'encode_keep_buffer', nil, 1, ...)
    end
    function lib.encode_invalid_numbers(...)
        arg_init('encode_invalid_numbers', 1, ...)
        return enum_option('encode_invalid_numbers', 1, 'encode_invalid_numbers', { 'off', 'on', 'null' }, 1, ...)
    end
    function lib.decode_invalid_numbers(...)
        arg_init('decode_invalid_numbers', 1, ...)
        return enum_option('decode_invalid_numbers', 1, 'decode_invalid_numbers', nil, 1, ...)
    end
    function lib.encode(...)
        if select('#', ...) ~= 1 then argerror(1, 'encode', 'expected 1 argument') end
        return results(jencode((...), cfg.sparse_convert ~= 0, cfg.sparse_ratio, cfg.sparse_safe,
            cfg.encode_max_depth, cfg.encode_invalid_numbers, cfg.encode_number_precision))
    end
    function lib.decode(...)
        if select('#', ...) ~= 1 then argerror(1, 'decode', 'expected 1 argument') end
        return results(jdecode(checkstring(1, 'decode', ...), cfg.decode_invalid_numbers ~= 0,
            cfg.decode_max_depth))
    end
    lib.new = make_cjson
    return lib
end
G.cjson = make_cjson()

-- cmsgpack (lua-cmsgpack 0.4.0)
local jmpack, jmunpack = java.cmsgpack_pack, java.cmsgpack_unpack
local cmsgpack = {
    _NAME = 'cmsgpack', _VERSION = 'lua-cmsgpack 0.4.0',
    _COPYRIGHT = 'Copyright (C) 2012, Salvatore Sanfilippo',
    _DESCRIPTION = 'MessagePack C implementation for Lua',
}
function cmsgpack.pack(...)
    if select('#', ...) == 0 then argerror(0, 'pack', 'MessagePack pack needs input.') end
    return results(jmpack(...))
end
function cmsgpack.unpack(...)
    return results(jmunpack(checkstring(1, 'unpack', ...), 0, 0))
end
function cmsgpack.unpack_one(...)
    local offset = optinteger(2, 'unpack_one', 0, ...)
    return results(jmunpack(checkstring(1, 'unpack_one', ...), 1, offset))
end
function cmsgpack.unpack_limit(...)
    local limit = checkinteger(2, 'unpack_limit', ...)
    local offset = optinteger(3, 'unpack_limit', 0, ...)
    return results(jmunpack(checkstring(1, 'unpack_limit', ...), limit, offset))
end
G.cmsgpack = cmsgpack

-- ---- base functions that must see through read-only proxies ------------------------------

local raw_rawset, raw_rawget, raw_next, raw_setmetatable, raw_getmetatable =
    rawset, rawget, next, setmetatable, getmetatable

G.rawset = function(...)
    checktable(1, 'rawset', ...)
    local t, k, v = ...
    if backing[t] then error(READONLY, 0) end
    return raw_rawset(t, k, v)
end

G.rawget = function(...)
    checktable(1, 'rawget', ...)
    local t, k = ...
    return visible(raw_rawget(real_of(t), k))
end

G.next = function(...)
    checktable(1, 'next', ...)
    local t, k = ...
    local nk, nv = raw_next(real_of(t), k)
    return nk, visible(nv)
end
local user_next = G.next

G.pairs = function(...)
    checktable(1, 'pairs', ...)
    local t = ...
    if backing[t] then return user_next, t, nil end
    return raw_next, t, nil
end

G.setmetatable = function(...)
    checktable(1, 'setmetatable', ...)
    local t, mt = ...
    local mtype = typename(2, ...)
    if mtype ~= 'nil' and mtype ~= 'table' then argerror(2, 'setmetatable', 'nil or table expected') end
    if backing[t] then error(READONLY, 0) end
    local current = raw_getmetatable(t)
    if current ~= nil and rawget(current, '__metatable') ~= nil then raise('cannot change a protected metatable') end
    return raw_setmetatable(t, mt)
end

G.getmetatable = function(...)
    if select('#', ...) == 0 then argerror(1, 'getmetatable', 'value expected') end
    local v = ...
    if type(v) == 'table' and backing[v] then v = backing[v] end
    return visible(raw_getmetatable(v))
end

-- Redis's pcall: an error given as a table with an 'err' string comes back as that string.
local function pcall_result(ok, ...)
    if ok then return true, ... end
    local e = ...
    if type(e) == 'table' then
        local text = e.err
        if type(text) == 'string' or type(text) == 'number' then e = text end
    end
    return false, e
end
G.pcall = function(...)
    if select('#', ...) == 0 then return false, 'attempt to call a boolean value' end
    return pcall_result(pcall(...))
end

-- Redis's Lua refuses precompiled chunks: it parses them as text, which fails at once.
-- luaO_chunkid: how a chunk name appears in messages.
local function chunkid(name)
    name = cstring(name)
    local first = string_byte(name, 1)
    if first == 61 then return string_sub(name, 2, 60) end -- '='
    if first == 64 then                                   -- '@'
        if #name - 1 <= 60 - 1 then return string_sub(name, 2) end
        return '...' .. string_sub(name, -(60 - 4))
    end
    local len = #name
    local max = 60 - 15
    if len > max then len = max end
    local nl = string_find(name, '\n', 1, true)
    if nl or len < #name then
        if nl then len = nl - 1 end
        return '[string "' .. string_sub(name, 1, len) .. '..."]'
    end
    return '[string "' .. name .. '"]'
end

local function load_text(text, name)
    if string_byte(text, 1) == 27 then
        return nil, chunkid(name) .. ":1: unexpected symbol near 'char(27)'"
    end
    return loadstring(text, name)
end

G.loadstring = function(...)
    local s, name = ...
    if type(s) ~= 'string' and type(s) ~= 'number' then
        argerror(1, 'loadstring', 'string expected, got ' .. typename(1, ...))
    end
    s = tostring(s)
    if name == nil then name = s end
    return load_text(s, name)
end

G.load = function(...)
    local reader, name = ...
    if type(reader) ~= 'function' then argerror(1, 'load', 'function expected, got ' .. typename(1, ...)) end
    local parts = {}
    while true do
        local piece = reader()
        if piece == nil or piece == '' then break end
        if type(piece) ~= 'string' then return nil, 'reader function must return a string' end
        parts[#parts + 1] = piece
    end
    return load_text(table.concat(parts), name or '=(load)')
end

-- ---- what scripts must not see ------------------------------------------------------------

for _, name in ipairs({ 'java', 'print', 'dofile', 'loadfile', 'require', 'module', 'package', 'io', 'os', 'debug',
    'getfenv', 'setfenv', 'newproxy' }) do
    G[name] = nil
end

-- ---- the error handler ------------------------------------------------------------------

function G.__redis__err__handler(err)
    local level = 2
    local i = getinfo(level, 'nSl')
    -- A C function called by glue code raised the glue's error: count it as the glue.
    if i and i.what == 'C' then
        local caller = getinfo(level + 1, 'nSl')
        if caller and caller.source == GLUE then
            level = level + 1
            i = caller
        end
    end
    if i and i.source == GLUE then
        -- Glue frames (and their tail calls) stand for one of Redis's C functions:
        -- report their caller.
        repeat
            level = level + 1
            i = getinfo(level, 'nSl')
        until not i or (i.source ~= GLUE and i.what ~= 'tail')
    elseif i and i.what == 'C' then
        i = getinfo(level + 1, 'nSl')
    end
    if type(err) ~= 'table' then err = { err = 'ERR ' .. tostring(err) } end
    if i then
        err['source'] = i.source
        err['line'] = i.currentline
    end
    return err
end

-- ---- the interrupt hook (SCRIPT KILL, FUNCTION KILL, shutdown) -------------------------

-- Java answers why the script must stop (killed, shutting down, FUNCTION LOAD timeout), or nil.
local jinterrupt = java.interrupt
local function hook()
    local why = jinterrupt()
    if why then
        -- From now on every line fails, so that pcall cannot keep the script alive.
        sethook(hook, 'l')
        error(error_table(why))
    end
end

local function arm()
    sethook(hook, '', 100000)
end
arm()

-- ---- protect everything reachable from the globals --------------------------------------

local missing_global_mt = {
    __index = function(t, n)
        if n == BINDINGS_GLOBAL then return nil end
        if type(n) ~= 'string' and type(n) ~= 'number' then
            error('Second argument to luaProtectedTableError must be a string or number', 2)
        end
        error("Script attempted to access nonexistent global variable '" .. tostring(n) .. "'", 2)
    end,
}
setmetatable(G, missing_global_mt)

local function protect_tree(real, seen)
    if seen[real] then return end
    seen[real] = true
    for k, v in raw_next, real do
        if type(v) == 'table' and v ~= G and k ~= 'KEYS' and k ~= 'ARGV' then
            protect_tree(v, seen)
            raw_rawset(real, k, protect(v))
        end
    end
    local mt = raw_getmetatable(real)
    if type(mt) == 'table' then protect_tree(mt, seen) end
    protect(real)
end
protect_tree(G, {})
protect_tree(raw_getmetatable(''), {})
local protected_G = protect(G)
raw_rawset(G, '_G', protected_G)

if java.mode ~= 'function' then
    -- Entry points for Java.
    return {
        globals = protected_G,   -- the environment scripts run in
        real_globals = G,        -- where KEYS and ARGV are set
        arm = arm,               -- restores the count hook after a kill
        error_table = error_table,
        handler = G.__redis__err__handler,
    }
end

-- ---- the function engine (FUNCTION LOAD, FCALL) -----------------------------------------
-- Library code runs in an environment of its own: while FUNCTION LOAD runs it, it sees
-- only a small redis table (register_function, log, the versions); functions, when
-- FCALL calls them, see the full world above. KEYS and ARGV are not globals there.

local handler = G.__redis__err__handler
raw_rawset(G, '__redis__err__handler', nil)

local jregister = java.register_function
local loading = false

local function read_flags(t)
    local flags = {}
    local j = 1
    while true do
        local f = raw_rawget(t, j)
        if f == nil then break end
        if type(f) ~= 'string' and type(f) ~= 'number' then return nil end
        flags[#flags + 1] = tostring(f)
        j = j + 1
    end
    return flags
end

local function register_function(...)
    if not loading then
        error(error_table('redis.register_function can only be called on FUNCTION LOAD command'))
    end
    local argc = select('#', ...)
    if argc < 1 or argc > 2 then error(error_table('wrong number of arguments to redis.register_function')) end
    local name, desc, callback, flags
    if argc == 1 then
        local t = ...
        if type(t) ~= 'table' then
            error(error_table('calling redis.register_function with a single argument is only applicable to '
                .. 'Lua table (representing named arguments).'))
        end
        for k, v in raw_next, real_of(t) do
            if type(k) ~= 'string' and type(k) ~= 'number' then
                error(error_table('named argument key given to redis.register_function is not a string'))
            end
            local key = string.lower(tostring(k))
            if key == 'function_name' then
                if type(v) ~= 'string' and type(v) ~= 'number' then
                    error(error_table('function_name argument given to redis.register_function must be a string'))
                end
                name = tostring(v)
            elseif key == 'description' then
                if type(v) ~= 'string' and type(v) ~= 'number' then
                    error(error_table('description argument given to redis.register_function must be a string'))
                end
                desc = tostring(v)
            elseif key == 'callback' then
                if type(v) ~= 'function' then
                    error(error_table('callback argument given to redis.register_function must be a function'))
                end
                callback = v
            elseif key == 'flags' then
                if type(v) ~= 'table' then
                    error(error_table('flags argument to redis.register_function must be a table representing '
                        .. 'function flags'))
                end
                flags = read_flags(real_of(v))
                if not flags then error(error_table('unknown flag given')) end
            else
                error(error_table('unknown argument given to redis.register_function'))
            end
        end
        if not name then error(error_table('redis.register_function must get a function name argument')) end
        if not callback then error(error_table('redis.register_function must get a callback argument')) end
    else
        local n, f = ...
        if type(n) ~= 'string' and type(n) ~= 'number' then
            error(error_table('first argument to redis.register_function must be a string'))
        end
        if type(f) ~= 'function' then
            error(error_table('second argument to redis.register_function must be a function'))
        end
        name, callback = tostring(n), f
    end
    local err = jregister(name, desc, callback, unpack(flags or {}))
    if err then error(error_table(err)) end
end

-- What library code sees while it is being loaded.
local load_redis = {
    register_function = register_function,
    log = redis.log,
    LOG_DEBUG = 0, LOG_VERBOSE = 1, LOG_NOTICE = 2, LOG_WARNING = 3,
    REDIS_VERSION = redis.REDIS_VERSION, REDIS_VERSION_NUM = redis.REDIS_VERSION_NUM,
}
setmetatable(load_redis, { __index = missing_global_mt.__index })
local load_api = { redis = protect(load_redis) }
setmetatable(load_api, { __index = missing_global_mt.__index })
load_api = protect(load_api)

-- The globals of library code: empty, reading through to one of the two worlds.
local env_mt = {
    __index = protected_G,
    __newindex = function(t, k, v)
        if k == BINDINGS_GLOBAL then
            raw_rawset(G, k, v)
            return
        end
        error(READONLY, 2)
    end,
    __metatable = false,
}
local env = setmetatable({}, env_mt)

return {
    globals = env,
    real_globals = G,
    arm = arm,
    error_table = error_table,
    handler = handler,
    -- FUNCTION LOAD runs library code with loading on, FCALL with it off.
    set_loading = function(on)
        loading = on
        env_mt.__index = on and load_api or protected_G
    end,
}
