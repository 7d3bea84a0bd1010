package io.tidemark.engine.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a writer's {@code main} in a child JVM and kills it with SIGKILL once it has printed a given
 * number of {@code ack <n>} lines (or, for none, once it printed {@code ready}): what the crash tests
 * share.
 */
public final class KilledChild {
    private KilledChild() {
    }

    /**
     * Starts {@code mainClass} with {@code args} on this test's class path, kills it after
     * {@code acks} acknowledgements, waits for it to exit, and returns the last acknowledged number, or
     * -1 if none.
     */
    public static long runAndKill(final Class<?> mainClass, final int acks, final String... args) throws Exception {
        final List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx256m", "--enable-native-access=ALL-UNNAMED",
            "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
            "-cp", System.getProperty("java.class.path"), mainClass.getName()));
        command.addAll(List.of(args));
        final Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        long acknowledged = -1;
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII))) {
            int seen = 0;
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.startsWith("ack ")) {
                    acknowledged = Long.parseLong(line.substring(4));
                    seen++;
                }
                if (seen >= acks && (line.startsWith("ack ") || line.startsWith("ready"))) {
                    child.destroyForcibly();
                    break;
                }
            }
        } finally {
            child.destroyForcibly();
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("child exits after SIGKILL").isTrue();
        }
        return acknowledged;
    }
}
