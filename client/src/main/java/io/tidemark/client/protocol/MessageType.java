package io.tidemark.client.protocol;

/** The frame types of version 1 (docs/protocol.md, "Frames"). */
public final class MessageType {
    /** Client: the handshake. */
    public static final int HELLO = 0x01;
    /** Client: bind handles to label sets. */
    public static final int REGISTER = 0x02;
    /** Client: samples by handle. */
    public static final int WRITE = 0x03;
    /** Client: a PromQL query. */
    public static final int QUERY = 0x04;
    /** Client: raw samples by matchers. */
    public static final int SELECT = 0x05;
    /** Client: heartbeat. */
    public static final int PING = 0x06;
    /** Client: clean close. */
    public static final int GOODBYE = 0x07;
    /** Server: the handshake's answer. */
    public static final int WELCOME = 0x81;
    /** Server: REGISTER's answer. */
    public static final int REGISTERED = 0x82;
    /** Server: WRITE's acknowledgement. */
    public static final int WRITE_ACK = 0x83;
    /** Server: a QUERY's result. */
    public static final int QUERY_RESULT = 0x84;
    /** Server: one series of a SELECT. */
    public static final int SELECT_SERIES = 0x85;
    /** Server: a SELECT's end. */
    public static final int SELECT_END = 0x86;
    /** Server: PING's answer. */
    public static final int PONG = 0x87;
    /** Server: clean close. */
    public static final int SERVER_GOODBYE = 0x88;
    /** Server: a failed request or connection. */
    public static final int ERROR = 0x8F;

    private MessageType() {
    }

    /** The name of a type, for messages. */
    public static String name(final int type) {
        return switch (type) {
            case HELLO -> "HELLO";
            case REGISTER -> "REGISTER";
            case WRITE -> "WRITE";
            case QUERY -> "QUERY";
            case SELECT -> "SELECT";
            case PING -> "PING";
            case GOODBYE, SERVER_GOODBYE -> "GOODBYE";
            case WELCOME -> "WELCOME";
            case REGISTERED -> "REGISTERED";
            case WRITE_ACK -> "WRITE_ACK";
            case QUERY_RESULT -> "QUERY_RESULT";
            case SELECT_SERIES -> "SELECT_SERIES";
            case SELECT_END -> "SELECT_END";
            case PONG -> "PONG";
            case ERROR -> "ERROR";
            default -> String.format("0x%02X", type);
        };
    }
}
