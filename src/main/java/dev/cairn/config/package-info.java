/**
 * Configuration: the table of redis.conf directives with Redis 7.0's names, defaults, ranges, units
 * and error texts ({@link dev.cairn.config.Config}, {@link dev.cairn.config.Setting}), reading
 * config files and command-line options, and CONFIG REWRITE.
 *
 * <p>Owns: the current value of every directive. Must not: act on a change itself; components
 * read their settings or register a reaction with {@link dev.cairn.config.Setting#onChange}.
 */
package dev.cairn.config;
