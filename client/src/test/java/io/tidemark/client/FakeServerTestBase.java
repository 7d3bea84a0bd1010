package io.tidemark.client;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A fresh {@link FakeServer} for each test of a subclass, closed after it. */
abstract class FakeServerTestBase {
    protected FakeServer server;

    @BeforeEach
    void startFakeServer() throws Exception {
        server = new FakeServer();
    }

    @AfterEach
    void stopFakeServer() throws Exception {
        server.close();
    }
}
