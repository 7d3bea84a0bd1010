package io.tidemark.server;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Handlers keyed by path and method. A path is either exact ({@code /api/v1/query}) or has one {@code {name}}
 * segment ({@code /api/v1/label/{name}/values}) whose value reaches the handler as {@link ApiRequest#pathValue()}.
 * Filled before the server starts, read-only afterwards (safe to share across threads once published).
 */
public final class Router {
    /**
     * A registered handler, whether it may block (then it runs on a query thread, or on a write thread if it
     * {@code writes}), and its path as registered.
     */
    public record Route(HttpHandler handler, boolean blocking, String path, boolean writes) {
    }

    /** The outcome of a lookup: the route, or the methods the path allows (empty: unknown path). */
    public record Match(Route route, String pathValue, Set<String> allowed) {
    }

    private final Map<String, Map<String, Route>> exact = new HashMap<>();
    private final List<Pattern> patterns = new ArrayList<>();

    private record Pattern(String prefix, String suffix, Map<String, Route> byMethod) {
    }

    /** Registers {@code handler} for {@code method} (GET, POST, ...) on {@code path}. */
    public Router add(final String method, final String path, final HttpHandler handler, final boolean blocking) {
        return add(method, path, new Route(handler, blocking, path, false));
    }

    /**
     * Registers a handler that stores samples and waits for them to be durable, for {@code method} on {@code path}: it
     * runs on a write thread, so that writes waiting for the log neither queue behind queries nor hold their threads.
     */
    public Router addWrite(final String method, final String path, final HttpHandler handler) {
        return add(method, path, new Route(handler, true, path, true));
    }

    private Router add(final String method, final String path, final Route route) {
        final int open = path.indexOf('{');
        final Map<String, Route> byMethod;
        if (open < 0) {
            byMethod = exact.computeIfAbsent(path, p -> new HashMap<>());
        } else {
            final int close = path.indexOf('}', open);
            if (close < 0 || path.charAt(open - 1) != '/' || close + 1 < path.length() && path.charAt(close + 1) != '/') {
                throw new IllegalArgumentException("a pattern has one whole {name} segment: path=" + path);
            }
            final String prefix = path.substring(0, open);
            final String suffix = path.substring(close + 1);
            Pattern found = null;
            for (final Pattern p : patterns) {
                if (p.prefix.equals(prefix) && p.suffix.equals(suffix)) {
                    found = p;
                }
            }
            if (found == null) {
                found = new Pattern(prefix, suffix, new HashMap<>());
                patterns.add(found);
            }
            byMethod = found.byMethod;
        }
        if (byMethod.putIfAbsent(method, route) != null) {
            throw new IllegalArgumentException("route registered twice: method=" + method + " path=" + path);
        }
        return this;
    }

    /** Looks up {@code method} on {@code path}. */
    public Match match(final String method, final String path) {
        Map<String, Route> byMethod = exact.get(path);
        String value = "";
        if (byMethod == null) {
            for (final Pattern p : patterns) {
                if (path.length() > p.prefix.length() + p.suffix.length() && path.startsWith(p.prefix)
                    && path.endsWith(p.suffix)) {
                    final String segment = path.substring(p.prefix.length(), path.length() - p.suffix.length());
                    if (segment.indexOf('/') < 0) {
                        byMethod = p.byMethod;
                        value = segment;
                        break;
                    }
                }
            }
        }
        if (byMethod == null) {
            return new Match(null, "", Set.of());
        }
        final Route route = byMethod.get(method);
        return new Match(route, value, route == null ? new java.util.TreeSet<>(byMethod.keySet()) : Set.of());
    }
}
