package dev.cairn.tracking;

import java.util.Arrays;
import java.util.Collections;
import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * One connection's CLIENT TRACKING settings (Redis's CLIENT_TRACKING_* flags, the
 * redirection id and the broadcast prefixes). Changed only by {@link Tracking}, so the
 * server-wide counts stay true; read by CLIENT TRACKINGINFO, GETREDIR and CLIENT LIST.
 */
public final class ClientTracking {
    boolean on;
    boolean bcast;
    boolean optIn;
    boolean optOut;
    boolean noLoop;
    /** CLIENT CACHING was given for the next command (YES in OPTIN mode, NO in OPTOUT mode). */
    boolean caching;
    /** The client invalidations are redirected to was gone when one had to be sent. */
    boolean brokenRedirect;
    /** The id of the client that receives the invalidations, 0 for this one. */
    long redirect;
    /** The broadcast prefixes in byte order (a radix tree's order in Redis); null when none. */
    NavigableSet<byte[]> prefixes;

    public boolean on() {
        return on;
    }

    public boolean bcast() {
        return bcast;
    }

    public boolean optIn() {
        return optIn;
    }

    public boolean optOut() {
        return optOut;
    }

    public boolean noLoop() {
        return noLoop;
    }

    public boolean caching() {
        return caching;
    }

    public boolean brokenRedirect() {
        return brokenRedirect;
    }

    /** CLIENT GETREDIR and CLIENT LIST's redir: the redirection id while on, else -1. */
    public long redirectForDisplay() {
        return on ? redirect : -1;
    }

    /** The prefixes in byte order, empty when none. */
    public NavigableSet<byte[]> prefixes() {
        return prefixes == null ? Collections.emptyNavigableSet() : Collections.unmodifiableNavigableSet(prefixes);
    }

    /** CLIENT CACHING YES|NO: affects the next command (or the next transaction). */
    public void cachingGiven() {
        caching = true;
    }

    /**
     * After each command but CLIENT's own and those run between MULTI and EXEC (Redis's
     * resetClient): the CACHING hint has been used up.
     */
    public void commandDone() {
        caching = false;
    }

    static NavigableSet<byte[]> newPrefixSet() {
        return new TreeSet<>(Arrays::compareUnsigned);
    }
}
