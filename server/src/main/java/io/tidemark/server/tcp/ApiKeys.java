package io.tidemark.server.tcp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The API keys the binary protocol takes in HELLO (docs/protocol.md), from a file of one key per line,
 * optionally followed by the tenants it may use: {@code <key>} (any tenant) or {@code <key> <tenant>,<tenant>...}.
 * Blank lines and lines starting with {@code #} are ignored. A key is 16 to 4096 bytes of printable ASCII
 * without spaces; a file with no key, a malformed line or a key given twice is refused whole, naming the line
 * (an operator who meant to close the port must not end up running it open).
 *
 * <p>Tokens are compared in time independent of where they differ ({@link MessageDigest#isEqual}), against every
 * key. Immutable and thread-safe. {@link #OPEN} takes any token.
 */
public final class ApiKeys {
    /** No keys: any token is taken. */
    public static final ApiKeys OPEN = new ApiKeys(List.of());
    /** Shortest key taken, in bytes. */
    public static final int MIN_KEY_BYTES = 16;
    /** Longest key taken, in bytes (the protocol's token limit). */
    public static final int MAX_KEY_BYTES = 4096;

    private final List<Key> keys;

    private ApiKeys(final List<Key> keys) {
        this.keys = List.copyOf(keys);
    }

    /** One key and the tenants it may use (empty: any). */
    private record Key(byte[] token, Set<String> tenants) {
    }

    /**
     * Reads the keys of {@code file}.
     *
     * @throws IllegalArgumentException naming the file and line, for anything but a well-formed file with a key
     * @throws IOException              when the file cannot be read
     */
    public static ApiKeys load(final Path file) throws IOException {
        final List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        final List<Key> keys = new ArrayList<>();
        final Set<String> seen = new HashSet<>();
        for (int n = 0; n < lines.size(); n++) {
            final String line = lines.get(n).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            final String where = file + " line " + (n + 1) + ": ";
            final String[] parts = line.split("\\s+");
            if (parts.length > 2) {
                throw new IllegalArgumentException(where + "expected '<key>' or '<key> <tenant>,<tenant>...'");
            }
            final String key = parts[0];
            if (key.length() < MIN_KEY_BYTES || key.length() > MAX_KEY_BYTES || !key.chars().allMatch(c -> c > ' ' && c < 127)) {
                throw new IllegalArgumentException(where + "a key is " + MIN_KEY_BYTES + " to " + MAX_KEY_BYTES
                    + " printable ASCII characters without spaces (this one has " + key.length() + ")");
            }
            if (!seen.add(key)) {
                throw new IllegalArgumentException(where + "the key is given twice");
            }
            final Set<String> tenants = new HashSet<>();
            if (parts.length == 2) {
                for (final String tenant : parts[1].split(",")) {
                    if (tenant.isEmpty()) {
                        throw new IllegalArgumentException(where + "an empty tenant name in '" + parts[1] + "'");
                    }
                    tenants.add(tenant);
                }
            }
            keys.add(new Key(key.getBytes(StandardCharsets.US_ASCII), Set.copyOf(tenants)));
        }
        if (keys.isEmpty()) {
            throw new IllegalArgumentException(file + ": no API key in the file (a key per line; '#' starts a comment)");
        }
        return new ApiKeys(keys);
    }

    /** True when no key is configured: any token is taken. */
    public boolean open() {
        return keys.isEmpty();
    }

    /** Number of keys. */
    public int size() {
        return keys.size();
    }

    /** Whether {@code token} is a key that may use {@code tenant} (always, when open). */
    public boolean allows(final String token, final String tenant) {
        if (open()) {
            return true;
        }
        final byte[] given = token.getBytes(StandardCharsets.UTF_8);
        boolean allowed = false;
        for (final Key key : keys) {
            // every key is compared, so the time taken does not tell which key was close
            final boolean match = MessageDigest.isEqual(given, key.token());
            allowed |= match && (key.tenants().isEmpty() || key.tenants().contains(tenant));
        }
        return allowed;
    }
}
