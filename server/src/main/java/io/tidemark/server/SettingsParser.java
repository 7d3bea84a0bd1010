package io.tidemark.server;

import io.tidemark.engine.wal.Durability;
import io.tidemark.ingest.IngestConfig;
import io.tidemark.promql.parser.ParserOptions;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Resolves {@link ServerSettings} from the command line, the environment and a config file. Precedence: a flag
 * ({@code --name value} or {@code --name=value}) over the environment variable {@code TIDEMARK_<NAME>} (upper case,
 * {@code -} and {@code .} as {@code _}) over a {@code name = value} line of the config file ({@code --config} or
 * {@code TIDEMARK_CONFIG}) over the default. Anything unknown or malformed is a {@link SettingsException} whose message
 * names the option and where it came from.
 */
public final class SettingsParser {
    /** One option: its name (the flag without dashes, the config file key), default and help. */
    record Option(String name, String defaultValue, String help) {
        String env() {
            return "TIDEMARK_" + name.toUpperCase(Locale.ROOT).replace('-', '_').replace('.', '_');
        }
    }

    static final String CONFIG = "config";
    private static final int MAX_CONFIG_BYTES = 1 << 20;

    /** Every option, in the order {@code --help} lists them. */
    static final List<Option> OPTIONS = List.of(
        new Option(CONFIG, "", "a file of 'name = value' lines setting any option below ('#' starts a comment)"),
        new Option("data-dir", "./data", "directory of the database's files"),
        new Option("http-host", "0.0.0.0", "address the HTTP server listens on (all interfaces by default, as Prometheus)"),
        new Option("http-port", "9400", "HTTP port of the Prometheus API (0: any free port)"),
        new Option("tcp-port", "9401", "port of the binary protocol (docs/protocol.md)"),
        new Option("tcp-max-frame", "1MiB", "binary protocol: largest frame, both ways (64KiB to 64MiB)"),
        new Option("tcp-credits", "65536", "binary protocol: samples one connection may have in flight"),
        new Option("tcp-max-in-flight", "256", "binary protocol: WRITEs one connection may have unanswered"),
        new Option("tcp-idle-timeout", "30s", "binary protocol: a connection that sends nothing this long is closed"),
        new Option("api-keys-file", "", "binary protocol: a file of API keys, one per line ('<key>' or '<key> <tenant>,...'); "
            + "without it any token is taken"),
        new Option("durability", "fsync",
            "when a write is acknowledged: fsync (after fdatasync) or os-write-lost-on-power-failure (after write(2))"),
        new Option("shards", "2", "ingest shards, each with its own writer thread"),
        new Option("ingest-idle", "backoff", "what an idle shard thread does: backoff (spin, yield, then park until woken), "
            + "yield, busy-spin (a core per shard, lowest latency) or sleep (park 100 us at a time)"),
        new Option("retention-time", "0", "per tenant, delete blocks older than this (a duration such as 15d; 0: off)"),
        new Option("retention-size", "0", "per tenant, delete the oldest blocks above this size (bytes, or 512MiB, 10GiB; 0: off)"),
        new Option("block-range", "2h", "time window of a block"),
        new Option("out-of-order-window", "0", "how far behind the newest sample a late sample is still taken (0: none)"),
        new Option("max-series-per-tenant", "0", "the most series a tenant may have in its head: samples of new series "
            + "beyond it are refused (remote write answers 400), its other series still take samples (0: no limit)"),
        new Option("promql.lookback-delta", "5m", "how far back an instant selector looks for a sample"),
        new Option("promql.timeout", "2m", "the longest a query runs"),
        new Option("promql.max-samples", "50000000", "the most samples a query holds in memory at once"),
        new Option("promql.compat", "prometheus3", "PromQL dialect: prometheus3, or prometheus2 for 2.x semantics"),
        new Option("http-max-body", "32MiB", "largest request body accepted (larger: 413)"),
        new Option("http-read-timeout", "30s", "longest a client may take to send a request, and to stay idle between two"),
        new Option("query-threads", Integer.toString(Math.max(2, Runtime.getRuntime().availableProcessors())),
            "threads running queries, flushes and other blocking requests"),
        new Option("query-queue", "64", "requests that may wait for a query (or write) thread before the server answers 503"),
        new Option("write-threads", Integer.toString(Math.max(8, 4 * Runtime.getRuntime().availableProcessors())),
            "threads taking remote writes and imports (each waits for its samples to be durable)"),
        new Option("shutdown-timeout", "30s", "how long shutdown waits for requests in flight"));

    private SettingsParser() {
    }

    /** True when {@code args} ask for help. */
    public static boolean wantsHelp(final String[] args) {
        for (final String arg : args) {
            if ("--help".equals(arg) || "-h".equals(arg)) {
                return true;
            }
        }
        return false;
    }

    /** What {@code --help} prints: every option, its environment variable and its default. */
    public static String help() {
        final StringBuilder out = new StringBuilder(2048);
        out.append("usage: tidemark server [--option value | --option=value]...\n\n")
            .append("Precedence: flag > environment variable > config file > default.\n\n");
        for (final Option option : OPTIONS) {
            out.append("  --").append(option.name()).append('\n')
                .append("      ").append(option.help()).append('\n')
                .append("      env ").append(option.env())
                .append(option.defaultValue().isEmpty() ? ", no default" : ", default " + option.defaultValue())
                .append('\n');
        }
        out.append("  --help\n      this text\n");
        return out.toString();
    }

    /** Resolves the settings from {@code args}, environment {@code env} and the config file they name. */
    public static ServerSettings parse(final String[] args, final Map<String, String> env) throws SettingsException {
        final Map<String, Option> byName = new HashMap<>();
        for (final Option option : OPTIONS) {
            byName.put(option.name(), option);
        }
        final Map<String, String> flags = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            final String arg = args[i];
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new SettingsException("unexpected argument '" + shorten(arg) + "': options are --name value");
            }
            final int eq = arg.indexOf('=');
            final String name = eq < 0 ? arg.substring(2) : arg.substring(2, eq);
            if (!byName.containsKey(name)) {
                throw new SettingsException("unknown option --" + shorten(name));
            }
            final String value;
            if (eq >= 0) {
                value = arg.substring(eq + 1);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new SettingsException("option --" + name + " needs a value");
            }
            if (flags.put(name, value) != null) {
                throw new SettingsException("option --" + name + " given twice");
            }
        }
        final Map<String, String> file = new HashMap<>();
        final String configPath = flags.containsKey(CONFIG) ? flags.get(CONFIG) : env.get(byName.get(CONFIG).env());
        if (configPath != null && !configPath.isEmpty()) {
            readConfig(Path.of(configPath), byName, file);
        }
        final Resolved r = new Resolved(byName, flags, env, file, configPath);
        final int httpPort = r.port("http-port");
        final int tcpPort = r.port("tcp-port");
        if (httpPort != 0 && httpPort == tcpPort) {
            throw r.invalid("tcp-port", "must differ from http-port " + httpPort);
        }
        final long blockRange = r.duration("block-range");
        if (blockRange <= 0) {
            throw r.invalid("block-range", "must be positive");
        }
        return new ServerSettings(Path.of(r.text("data-dir")), r.host("http-host"), httpPort, tcpPort,
            r.durability("durability"), r.integer("shards", 1, 1024), r.duration("retention-time"),
            r.bytes("retention-size", Long.MAX_VALUE), blockRange, r.duration("out-of-order-window"),
            r.integer("max-series-per-tenant", 0, Integer.MAX_VALUE),
            r.positiveDuration("promql.lookback-delta"), r.positiveDuration("promql.timeout"),
            r.longInteger("promql.max-samples", 1, Long.MAX_VALUE), r.compat("promql.compat"),
            (int) r.bytes("http-max-body", Integer.MAX_VALUE - 1024), r.positiveDuration("http-read-timeout"),
            r.integer("query-threads", 1, 1024), r.integer("query-queue", 0, 1_000_000), r.integer("write-threads", 1, 1024),
            r.duration("shutdown-timeout"), tcpLimits(r), apiKeys(r), r.idle("ingest-idle"));
    }

    private static io.tidemark.server.tcp.ApiKeys apiKeys(final Resolved r) throws SettingsException {
        final String file = r.text("api-keys-file").strip();
        if (file.isEmpty()) {
            return io.tidemark.server.tcp.ApiKeys.OPEN;
        }
        try {
            return io.tidemark.server.tcp.ApiKeys.load(Path.of(file));
        } catch (final java.io.IOException e) {
            throw r.invalid("api-keys-file", "cannot be read: " + e);
        } catch (final IllegalArgumentException e) {
            throw r.invalid("api-keys-file", e.getMessage());
        }
    }

    private static io.tidemark.server.tcp.TcpLimits tcpLimits(final Resolved r) throws SettingsException {
        final long idle = r.positiveDuration("tcp-idle-timeout");
        if (idle < 100 || idle > Integer.MAX_VALUE) {
            throw r.invalid("tcp-idle-timeout", "must be 100ms to 24d");
        }
        final long frame = r.bytes("tcp-max-frame", 64 << 20);
        if (frame < 64 << 10) {
            throw r.invalid("tcp-max-frame", "must be at least 64KiB");
        }
        final io.tidemark.server.tcp.TcpLimits d = io.tidemark.server.tcp.TcpLimits.DEFAULT;
        return new io.tidemark.server.tcp.TcpLimits((int) frame, r.integer("tcp-credits", 1, Integer.MAX_VALUE),
            d.maxSeriesHandles(), r.integer("tcp-max-in-flight", 1, 1 << 16), (int) idle, d.maxLabelsPerSeries(),
            d.maxSelectSamples());
    }

    private static void readConfig(final Path path, final Map<String, Option> byName, final Map<String, String> into)
        throws SettingsException {
        final String text;
        try {
            if (Files.size(path) > MAX_CONFIG_BYTES) {
                throw new SettingsException("config file " + path + " is larger than " + MAX_CONFIG_BYTES + " bytes");
            }
            try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
                text = reader.readAllAsString();
            }
        } catch (final IOException e) {
            throw new SettingsException("cannot read config file " + path + ": " + e);
        }
        int lineNumber = 0;
        for (final String raw : text.split("\n", -1)) {
            lineNumber++;
            final String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            final int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new SettingsException("config file " + path + " line " + lineNumber + ": expected 'name = value'");
            }
            final String name = line.substring(0, eq).strip();
            if (!byName.containsKey(name) || CONFIG.equals(name)) {
                throw new SettingsException("config file " + path + " line " + lineNumber + ": unknown option '"
                    + shorten(name) + "'");
            }
            into.put(name, line.substring(eq + 1).strip());
        }
    }

    /** {@code text} cut to 64 characters for an error message, so a huge input is not echoed back whole. */
    static String shorten(final String text) {
        return text.length() <= 64 ? text : text.substring(0, 64) + "...";
    }

    /** Looks each option up in precedence order and converts it, naming the source in errors. */
    private record Resolved(Map<String, Option> byName, Map<String, String> flags, Map<String, String> env,
                            Map<String, String> file, String configPath) {
        String text(final String name) {
            final Option option = byName.get(name);
            if (flags.containsKey(name)) {
                return flags.get(name);
            }
            final String fromEnv = env.get(option.env());
            if (fromEnv != null) {
                return fromEnv;
            }
            return file.getOrDefault(name, option.defaultValue());
        }

        String source(final String name) {
            if (flags.containsKey(name)) {
                return "flag --" + name;
            }
            if (env.containsKey(byName.get(name).env())) {
                return "environment " + byName.get(name).env();
            }
            return file.containsKey(name) ? "config file " + configPath : "default";
        }

        SettingsException invalid(final String name, final String why) {
            return new SettingsException("invalid " + name + " '" + shorten(text(name)) + "' (" + source(name) + "): " + why);
        }

        long longInteger(final String name, final long min, final long max) throws SettingsException {
            final long value;
            try {
                value = Long.parseLong(text(name).strip());
            } catch (final NumberFormatException e) {
                throw invalid(name, "not an integer");
            }
            if (value < min || value > max) {
                throw invalid(name, "must be between " + min + " and " + max);
            }
            return value;
        }

        int integer(final String name, final int min, final int max) throws SettingsException {
            return (int) longInteger(name, min, max);
        }

        int port(final String name) throws SettingsException {
            return integer(name, 0, 65_535);
        }

        String host(final String name) throws SettingsException {
            final String value = text(name).strip();
            if (value.isEmpty() || value.length() > 253 || !value.matches("[A-Za-z0-9.:\\-\\[\\]%]+")) {
                throw invalid(name, "not a host name or IP address");
            }
            return value;
        }

        long duration(final String name) throws SettingsException {
            final long millis;
            try {
                millis = PromFormat.parseDurationMillis(text(name).strip());
            } catch (final IllegalArgumentException e) {
                throw invalid(name, "not a duration such as 30s, 5m, 2h, 15d");
            }
            if (millis < 0) {
                throw invalid(name, "must not be negative");
            }
            return millis;
        }

        long positiveDuration(final String name) throws SettingsException {
            final long millis = duration(name);
            if (millis <= 0) {
                throw invalid(name, "must be positive");
            }
            return millis;
        }

        long bytes(final String name, final long max) throws SettingsException {
            final String value = text(name).strip();
            final String[][] units = {{"KiB", "1024"}, {"MiB", "1048576"}, {"GiB", "1073741824"},
                {"TiB", "1099511627776"}, {"B", "1"}, {"", "1"}};
            for (final String[] unit : units) {
                if (value.endsWith(unit[0])) {
                    try {
                        final long number = Long.parseLong(value.substring(0, value.length() - unit[0].length()).strip());
                        final long bytes = Math.multiplyExact(number, Long.parseLong(unit[1]));
                        if (bytes < 0 || bytes > max) {
                            throw invalid(name, "must be between 0 and " + max + " bytes");
                        }
                        return bytes;
                    } catch (final NumberFormatException | ArithmeticException e) {
                        throw invalid(name, "not a size such as 1048576, 512MiB or 10GiB");
                    }
                }
            }
            throw invalid(name, "not a size such as 1048576, 512MiB or 10GiB");
        }

        Durability durability(final String name) throws SettingsException {
            return switch (text(name).strip()) {
                case "fsync" -> Durability.FSYNC;
                case "os-write-lost-on-power-failure" -> Durability.OS_WRITE_LOST_ON_POWER_FAILURE;
                default -> throw invalid(name, "expected fsync or os-write-lost-on-power-failure");
            };
        }

        IngestConfig.Idle idle(final String name) throws SettingsException {
            return switch (text(name).strip()) {
                case "backoff" -> IngestConfig.Idle.BACKOFF;
                case "yield" -> IngestConfig.Idle.YIELD;
                case "busy-spin" -> IngestConfig.Idle.BUSY_SPIN;
                case "sleep" -> IngestConfig.Idle.SLEEP;
                default -> throw invalid(name, "expected backoff, yield, busy-spin or sleep");
            };
        }

        ParserOptions.Compat compat(final String name) throws SettingsException {
            return switch (text(name).strip()) {
                case "prometheus3" -> ParserOptions.Compat.PROMETHEUS3;
                case "prometheus2" -> ParserOptions.Compat.PROMETHEUS2;
                default -> throw invalid(name, "expected prometheus3 or prometheus2");
            };
        }
    }
}
