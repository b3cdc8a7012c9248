package dev.cairn.config;

/** A directive or value that is not acceptable; the message is Redis's text for it. */
public final class ConfigException extends Exception {
    public ConfigException(String message) {
        super(message, null, false, false);
    }
}
