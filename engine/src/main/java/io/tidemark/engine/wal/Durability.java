package io.tidemark.engine.wal;

/** When a {@link WalWriter} counts a record as durable and publishes it in its {@link DurablePosition}. */
public enum Durability {
    /**
     * The default: after the segment file was written and forced to the device
     * ({@code fdatasync}). An acknowledged record survives a process crash, a kernel crash and a
     * power failure (as far as the device honours flushes).
     */
    FSYNC,
    /**
     * After the segment file was written ({@code write(2)} returned), without waiting for the device.
     * An acknowledged record survives a crash of the process, but is lost on a power failure or a
     * kernel crash if the kernel had not written it back yet. Files are still forced on segment
     * creation, on {@link WalWriter#sync()} and on {@link WalWriter#close()}.
     */
    OS_WRITE_LOST_ON_POWER_FAILURE
}
