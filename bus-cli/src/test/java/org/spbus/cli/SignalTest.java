package org.spbus.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI as a process stopped by SIGTERM (what {@code timeout} and service managers send):
 * it prints {@code --stats}, closes its socket so that its {@code ipc://} socket file is gone,
 * and prints no error about the receive it was blocked in.
 */
@Timeout(30)
class SignalTest
{
    @Test
    void sigtermPrintsStatsAndRemovesTheIpcSocketFile(@TempDir final Path dir)
    {
        final Path sock = dir.resolve("signal.ipc");
        try (TestSupport.Proc cli = new TestSupport.Proc(TestSupport.cliCommand("--bus0", "--listen", "ipc://" + sock,
            "--stats", "--quoted")))
        {
            TestSupport.await("the CLI creates " + sock, Duration.ofSeconds(20),
                () -> Files.exists(sock) || !cli.process.isAlive());
            assertTrue(cli.process.isAlive(), () -> "the CLI exited early: " + cli);
            // SIGTERM through the process handle: Process.destroy() would also close our ends of
            // the child's stdout and stderr before it has printed.
            cli.process.toHandle().destroy();
            final int rc = cli.await(Duration.ofSeconds(15));
            assertEquals(143, rc, () -> "exit code after SIGTERM (128 + 15): " + cli);
            assertFalse(Files.exists(sock), () -> "the ipc socket file is left behind after SIGTERM: " + cli);
            assertTrue(cli.err.text().contains("messages_received"), () -> "--stats not printed on SIGTERM: " + cli);
            for (final String error : new String[] {"Receive error", "Unable to", "Cannot", "Exception"})
            {
                assertFalse(cli.err.text().contains(error), () -> "an error printed on SIGTERM: " + cli);
            }
        }
    }
}
