# Shared by the bin/ scripts: find a JDK 25 or newer and export JAVA_HOME for it.
# Order: $JAVA_HOME if it is 25+, then any JDK under /usr/lib/jvm, newest first.

java_major() {
    # Prints the major version of the given java binary, or nothing.
    "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -n1
}

find_jdk25() {
    local candidate major
    for candidate in "${JAVA_HOME:-}" $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do
        candidate="${candidate%/}"
        [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
        major="$(java_major "$candidate/bin/java")"
        if [ -n "$major" ] && [ "$major" -ge 25 ] 2>/dev/null; then
            export JAVA_HOME="$candidate"
            return 0
        fi
    done
    cat >&2 <<'MSG'
Cairn needs a JDK 25 or newer, and none was found (checked $JAVA_HOME and /usr/lib/jvm).
Install one, for example Eclipse Temurin 25:
    https://adoptium.net/temurin/releases/?version=25   (or the package temurin-25-jdk
    from the Adoptium apt repository)
then run this command again, or point JAVA_HOME at it.
MSG
    return 1
}
