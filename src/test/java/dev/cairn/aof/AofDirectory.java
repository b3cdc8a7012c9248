package dev.cairn.aof;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reading an appendonly directory in tests: the manifest's lines and its files. */
record AofDirectory(Path dir) {
    static AofDirectory in(Path serverDir) {
        return new AofDirectory(serverDir.resolve("appendonlydir"));
    }

    Path manifestFile() {
        return dir.resolve("appendonly.aof.manifest");
    }

    List<String> manifest() throws IOException {
        return Files.readAllLines(manifestFile());
    }

    /** The file named on the manifest line of the given type letter (the last one). */
    Path file(char type) throws IOException {
        Path found = null;
        for (String line : manifest()) {
            String[] w = line.split(" ");
            if (w[5].charAt(0) == type) found = dir.resolve(w[1]);
        }
        return found;
    }

    Path incr() throws IOException {
        return file('i');
    }

    Path base() throws IOException {
        return file('b');
    }

    /** The incremental file's text, one command per line ("SET k v"), timestamp annotations dropped. */
    List<String> incrCommands() throws IOException {
        return commands(Files.readAllBytes(incr()));
    }

    static List<String> commands(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            int eol = text.indexOf("\r\n", i);
            String line = text.substring(i, eol);
            i = eol + 2;
            if (line.startsWith("#")) continue;
            int argc = Integer.parseInt(line.substring(1));
            StringBuilder cmd = new StringBuilder();
            for (int j = 0; j < argc; j++) {
                int e = text.indexOf("\r\n", i);
                int len = Integer.parseInt(text.substring(i + 1, e));
                if (j > 0) cmd.append(' ');
                cmd.append(text, e + 2, e + 2 + len);
                i = e + 2 + len + 2;
            }
            out.add(cmd.toString());
        }
        return out;
    }
}
