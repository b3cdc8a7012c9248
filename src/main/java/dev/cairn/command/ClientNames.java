package dev.cairn.command;

/** The rule for connection names (CLIENT SETNAME, HELLO SETNAME): printable, no spaces. */
final class ClientNames {
    private ClientNames() {}

    static boolean valid(String name) {
        for (int i = 0; i < name.length(); i++) {
            char ch = name.charAt(i);
            if (ch < '!' || ch > '~') return false;
        }
        return true;
    }
}
