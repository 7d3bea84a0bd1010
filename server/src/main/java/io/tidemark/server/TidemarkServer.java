package io.tidemark.server;

import io.tidemark.engine.db.Tidemark;
import io.tidemark.server.metrics.ServerMetrics;
import io.tidemark.server.remote.MetricMetadataStore;
import io.tidemark.server.tcp.TcpMetrics;
import io.tidemark.server.tcp.TcpServer;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;

/**
 * The Tidemark server: the HTTP API over one database. {@link #main} is {@code ./tidemark server}: it resolves the
 * settings, binds HTTP (answering {@code /-/ready} with 503 meanwhile), opens the database, then serves until SIGTERM,
 * when it stops accepting, lets requests in flight finish, closes the database (syncing every WAL) and exits 0.
 */
public final class TidemarkServer implements AutoCloseable {
    static {
        // One line per event: time, level, logger, then the event's key=value pairs (unless the user set a format).
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format",
                "%1$tY-%1$tm-%1$tdT%1$tH:%1$tM:%1$tS.%1$tL%1$tz level=%4$s logger=%3$s %5$s%6$s%n");
        }
    }

    private static final System.Logger LOG = System.getLogger(TidemarkServer.class.getName());

    private final ServerSettings settings;
    private final HttpServer http;
    private final WriteApi writes;
    private final boolean ownsDatabase;
    private final String version;
    private final ServerMetrics metrics;
    private volatile Tidemark database;
    private int httpPort;
    private TcpServer tcp;
    private int tcpPort;
    private boolean closed;

    private TidemarkServer(final ServerSettings settings, final Tidemark database, final boolean ownsDatabase) {
        this.settings = settings;
        this.database = database;
        this.ownsDatabase = ownsDatabase;
        final Router router = new Router();
        this.metrics = new ServerMetrics();
        new QueryApi(this::database, settings.engineOptions()).register(router);
        final MetricMetadataStore metadata = new MetricMetadataStore(MetricMetadataStore.DEFAULT_MAX_FAMILIES);
        metrics.metadata(metadata);
        new MetadataApi(this::database, metadata).register(router);
        final StatusApi status = new StatusApi(this::database, () -> this.database != null);
        status.register(router);
        this.writes = new WriteApi(this::database, settings, metrics, status.version(), metadata);
        this.version = status.version();
        writes.register(router);
        this.http = new HttpServer(settings, router, metrics);
    }

    /**
     * Serves {@code database}, which the caller opened and keeps: {@link #close()} stops the server and leaves the
     * database open. For embedding and tests.
     */
    public static TidemarkServer serve(final ServerSettings settings, final Tidemark database)
        throws InterruptedException {
        final TidemarkServer server = new TidemarkServer(settings, database, false);
        server.httpPort = server.http.start();
        server.startTcp();
        return server;
    }

    /** Binds HTTP, then opens the database in {@code settings.dataDirectory()}; the server owns and closes it. */
    public static TidemarkServer open(final ServerSettings settings) throws IOException, InterruptedException {
        final TidemarkServer server = new TidemarkServer(settings, null, true);
        server.httpPort = server.http.start();
        try {
            final long started = System.nanoTime();
            EventLog.info(LOG, "event=database_opening dir=" + settings.dataDirectory().toAbsolutePath());
            server.database = Tidemark.open(settings.tidemarkConfig());
            EventLog.info(LOG, "event=database_open ms=" + (System.nanoTime() - started) / 1_000_000);
            server.startTcp();
        } catch (final IOException | RuntimeException e) {
            server.http.close(0);
            throw e;
        }
        EventLog.info(LOG, "event=ready http_port=" + server.httpPort + " tcp_port=" + server.tcpPort);
        return server;
    }

    /** Binds the binary protocol on the HTTP server's event loops, once the database is open. */
    private void startTcp() throws InterruptedException {
        tcp = new TcpServer(database, settings.tcpLimits(), http.queryThreads(), settings.engineOptions(), settings.apiKeys(),
            "tidemark " + version);
        tcpPort = tcp.start(http.boss(), http.workers(), settings.httpHost(), settings.tcpPort());
        metrics.tcp(tcp.metrics());
    }

    /** The port the binary protocol listens on. */
    public int tcpPort() {
        return tcpPort;
    }

    /** The binary protocol's counters. */
    public TcpMetrics tcpMetrics() {
        return tcp.metrics();
    }

    /** The port HTTP listens on. */
    public int httpPort() {
        return httpPort;
    }

    /** The open database, or a 503 for requests that arrive while it is still opening. */
    private Tidemark database() {
        final Tidemark db = database;
        if (db == null) {
            throw new ApiException(503, "unavailable", "not ready: the database is still opening");
        }
        return db;
    }

    /**
     * Stops accepting, waits up to the shutdown timeout for requests in flight, closes connections and, when the server
     * owns it, the database. Returns true when every request finished and the database closed cleanly.
     */
    public synchronized boolean shutdown() {
        if (closed) {
            return true;
        }
        closed = true;
        EventLog.info(LOG, "event=shutdown_started");
        boolean clean = tcp == null || tcp.close(settings.shutdownTimeoutMillis());
        clean &= http.close(settings.shutdownTimeoutMillis());
        if (clean) {
            writes.close(); // no query thread runs any more: their remote-write buffers can go
        }
        final Tidemark db = database;
        if (ownsDatabase && db != null) {
            try {
                db.close();
                EventLog.info(LOG, "event=database_closed");
            } catch (final Exception e) {
                clean = false;
                EventLog.log(LOG, System.Logger.Level.ERROR, "event=database_close_failed error=\"" + e + "\"");
            }
        }
        EventLog.info(LOG, "event=shutdown_complete clean=" + clean);
        return clean;
    }

    @Override
    public void close() {
        shutdown();
    }

    /** {@code ./tidemark server [options]}; {@code --help} lists them. */
    public static void main(final String[] args) throws InterruptedException {
        if (SettingsParser.wantsHelp(args)) {
            System.out.print(SettingsParser.help());
            return;
        }
        final ServerSettings settings;
        try {
            settings = SettingsParser.parse(args, System.getenv());
        } catch (final SettingsException e) {
            System.err.println("tidemark: " + e.getMessage() + " (see --help)");
            System.exit(2);
            return;
        }
        EventLog.info(LOG, "event=starting " + describe(settings));
        final TidemarkServer server;
        try {
            server = open(settings);
        } catch (final IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "event=start_failed error=\"" + e + "\"", e);
            System.exit(1);
            return;
        }
        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            EventLog.jvmShuttingDown();
            EventLog.info(LOG, "event=signal action=shutdown");
            final boolean clean = server.shutdown();
            stopped.countDown();
            System.out.flush();
            System.err.flush();
            // The JVM would exit 143 after SIGTERM; a clean shutdown is a success, so say so.
            Runtime.getRuntime().halt(clean ? 0 : 1);
        }, "tidemark-shutdown"));
        stopped.await();
    }

    private static String describe(final ServerSettings s) {
        return "data_dir=" + s.dataDirectory().toAbsolutePath() + " http_host=" + s.httpHost() + " http_port="
            + s.httpPort() + " tcp_port=" + s.tcpPort() + " durability=" + s.durability() + " shards=" + s.shards() + " ingest_idle=" + s.ingestIdle() + " retention_ms="
            + s.retentionMillis() + " retention_bytes=" + s.retentionBytes() + " block_range_ms=" + s.blockRangeMillis()
            + " out_of_order_window_ms=" + s.outOfOrderWindowMillis() + " max_series_per_tenant=" + s.maxSeriesPerTenant() + " promql_compat=" + s.compat()
            + " promql_timeout_ms=" + s.queryTimeoutMillis() + " max_body_bytes=" + s.maxBodyBytes()
            + " query_threads=" + s.queryThreads() + " write_threads=" + s.writeThreads() + " tcp_max_frame=" + s.tcpLimits().maxFrameBytes() + " tcp_credits="
            + s.tcpLimits().credits() + " tcp_max_in_flight=" + s.tcpLimits().maxInFlightWrites() + " tcp_idle_timeout_ms="
            + s.tcpLimits().idleTimeoutMillis();
    }
}
