package io.tidemark.client;

import java.time.Duration;
import java.util.Objects;

/**
 * What a {@link TidemarkClient} connects to and how it behaves; immutable, built with {@link #builder()}. Defaults:
 * port 9401, tenant {@code ""} (the server's {@code default}), no token, connect timeout 5 s, request timeout 30 s,
 * heartbeat from the server's idle timeout (a third of it), reconnect back-off 100 ms doubling to 5 s, durability
 * {@link Durability#APPLIED}, a pool of 4 connections checked every 3 s, close timeout 5 s.
 */
public final class ClientConfig {
    /** The server's default binary protocol port. */
    public static final int DEFAULT_PORT = 9401;

    private final String host;
    private final int port;
    private final String tenant;
    private final String token;
    private final String clientName;
    private final Duration connectTimeout;
    private final Duration requestTimeout;
    private final Duration heartbeatInterval;
    private final Duration reconnectInitialBackoff;
    private final Duration reconnectMaxBackoff;
    private final Duration closeTimeout;
    private final Durability durability;
    private final int poolSize;
    private final Duration healthCheckInterval;

    private ClientConfig(final Builder b) {
        this.host = b.host;
        this.port = b.port;
        this.tenant = b.tenant;
        this.token = b.token;
        this.clientName = b.clientName;
        this.connectTimeout = b.connectTimeout;
        this.requestTimeout = b.requestTimeout;
        this.heartbeatInterval = b.heartbeatInterval;
        this.reconnectInitialBackoff = b.reconnectInitialBackoff;
        this.reconnectMaxBackoff = b.reconnectMaxBackoff;
        this.closeTimeout = b.closeTimeout;
        this.durability = b.durability;
        this.poolSize = b.poolSize;
        this.healthCheckInterval = b.healthCheckInterval;
    }

    /** A builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        final Builder b = new Builder();
        b.host = host;
        b.port = port;
        b.tenant = tenant;
        b.token = token;
        b.clientName = clientName;
        b.connectTimeout = connectTimeout;
        b.requestTimeout = requestTimeout;
        b.heartbeatInterval = heartbeatInterval;
        b.reconnectInitialBackoff = reconnectInitialBackoff;
        b.reconnectMaxBackoff = reconnectMaxBackoff;
        b.closeTimeout = closeTimeout;
        b.durability = durability;
        b.poolSize = poolSize;
        b.healthCheckInterval = healthCheckInterval;
        return b;
    }

    /** The server's host name or address. */
    public String host() {
        return host;
    }

    /** The server's port. */
    public int port() {
        return port;
    }

    /** The tenant every request works on; empty for the server's default. */
    public String tenant() {
        return tenant;
    }

    /** The API key; empty for none. */
    public String token() {
        return token;
    }

    /** Free text for the server's log and metrics. */
    public String clientName() {
        return clientName;
    }

    /** Bound on opening the TCP connection and on the handshake, each. */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** Bound on a request: waiting for a connection, for credits, and for the answer. */
    public Duration requestTimeout() {
        return requestTimeout;
    }

    /** PING after this long without sending; null to use a third of the server's idle timeout. */
    public Duration heartbeatInterval() {
        return heartbeatInterval;
    }

    /** The first reconnection delay. */
    public Duration reconnectInitialBackoff() {
        return reconnectInitialBackoff;
    }

    /** The longest reconnection delay. */
    public Duration reconnectMaxBackoff() {
        return reconnectMaxBackoff;
    }

    /** Bound on {@code close()} waiting for the server's GOODBYE. */
    public Duration closeTimeout() {
        return closeTimeout;
    }

    /** The durability of writes that do not name one. */
    public Durability durability() {
        return durability;
    }

    /** Connections of a {@link TidemarkClientPool}. */
    public int poolSize() {
        return poolSize;
    }

    /** How often a {@link TidemarkClientPool} pings each connection. */
    public Duration healthCheckInterval() {
        return healthCheckInterval;
    }

    @Override
    public String toString() {
        return "ClientConfig[" + host + ":" + port + " tenant=" + tenant + " client=" + clientName + " token="
            + (token.isEmpty() ? "none" : "set") + "]";
    }

    /** Builds a {@link ClientConfig}; not thread-safe. */
    public static final class Builder {
        private String host = "localhost";
        private int port = DEFAULT_PORT;
        private String tenant = "";
        private String token = "";
        private String clientName = "tidemark-java";
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration requestTimeout = Duration.ofSeconds(30);
        private Duration heartbeatInterval;
        private Duration reconnectInitialBackoff = Duration.ofMillis(100);
        private Duration reconnectMaxBackoff = Duration.ofSeconds(5);
        private Duration closeTimeout = Duration.ofSeconds(5);
        private Durability durability = Durability.APPLIED;
        private int poolSize = 4;
        private Duration healthCheckInterval = Duration.ofSeconds(3);

        private Builder() {
        }

        /** The server's host name or address. */
        public Builder host(final String value) {
            this.host = Objects.requireNonNull(value, "host");
            return this;
        }

        /** The server's port, 1 to 65535. */
        public Builder port(final int value) {
            if (value < 1 || value > 0xFFFF) {
                throw new IllegalArgumentException("port=" + value);
            }
            this.port = value;
            return this;
        }

        /** The tenant; empty for the server's default. */
        public Builder tenant(final String value) {
            this.tenant = Objects.requireNonNull(value, "tenant");
            return this;
        }

        /** The API key; empty for none. */
        public Builder token(final String value) {
            this.token = Objects.requireNonNull(value, "token");
            return this;
        }

        /** Free text for the server's log, at most 128 bytes of UTF-8. */
        public Builder clientName(final String value) {
            this.clientName = Objects.requireNonNull(value, "clientName");
            return this;
        }

        /** Bound on opening a connection and on its handshake. */
        public Builder connectTimeout(final Duration value) {
            this.connectTimeout = positive(value, "connectTimeout");
            return this;
        }

        /** Bound on each request. */
        public Builder requestTimeout(final Duration value) {
            this.requestTimeout = positive(value, "requestTimeout");
            return this;
        }

        /** PING after this long without sending; null for a third of the server's idle timeout. */
        public Builder heartbeatInterval(final Duration value) {
            this.heartbeatInterval = value == null ? null : positive(value, "heartbeatInterval");
            return this;
        }

        /** The first and the longest reconnection delay. */
        public Builder reconnectBackoff(final Duration initial, final Duration max) {
            positive(initial, "reconnectInitialBackoff");
            positive(max, "reconnectMaxBackoff");
            if (max.compareTo(initial) < 0) {
                throw new IllegalArgumentException("reconnectMaxBackoff=" + max + " < reconnectInitialBackoff="
                    + initial);
            }
            this.reconnectInitialBackoff = initial;
            this.reconnectMaxBackoff = max;
            return this;
        }

        /** Bound on waiting for the server's GOODBYE in {@code close()}. */
        public Builder closeTimeout(final Duration value) {
            this.closeTimeout = positive(value, "closeTimeout");
            return this;
        }

        /** The durability of writes that do not name one. */
        public Builder durability(final Durability value) {
            this.durability = Objects.requireNonNull(value, "durability");
            return this;
        }

        /** Connections of a {@link TidemarkClientPool}, at least 1. */
        public Builder poolSize(final int value) {
            if (value < 1) {
                throw new IllegalArgumentException("poolSize=" + value);
            }
            this.poolSize = value;
            return this;
        }

        /** How often a {@link TidemarkClientPool} pings each connection. */
        public Builder healthCheckInterval(final Duration value) {
            this.healthCheckInterval = positive(value, "healthCheckInterval");
            return this;
        }

        /** The configuration. */
        public ClientConfig build() {
            return new ClientConfig(this);
        }

        private static Duration positive(final Duration value, final String name) {
            if (value == null || value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + "=" + value + " must be positive");
            }
            return value;
        }
    }
}
