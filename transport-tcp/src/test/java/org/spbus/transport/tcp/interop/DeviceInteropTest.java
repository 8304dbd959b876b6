package org.spbus.transport.tcp.interop;

import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.spbus.Bus;
import org.spbus.BusOptions;
import org.spbus.BusSocket;
import org.spbus.Device;
import org.spbus.tck.ExternalTool;

/**
 * Real NNG peers joined on purpose through an spbus device: two {@code nngcat --bus0}
 * processes that only dial a raw spbus socket running {@link Device#reflect(BusSocket)} hear
 * each other, and neither hears its own messages back. A nanocat peer joins the same star.
 */
@Timeout(30)
class DeviceInteropTest
{
    @Test
    void nngcatPeersJoinedThroughAReflectorHearEachOther()
    {
        final String nngcat = Tools.require("nngcat", "nng-utils");
        try (BusSocket hub = Bus.open(BusOptions.builder().raw(true).build()); Device d = Device.reflect(hub))
        {
            final String url = hub.listen("tcp://127.0.0.1:0").url();
            try (ExternalTool a = ExternalTool.start(nngcat, "--bus0", "--dial", url, "--data", "from-a", "--interval", "1",
                    "--quoted");
                ExternalTool b = ExternalTool.start(nngcat, "--bus0", "--dial", url, "--data", "from-b", "--interval", "1",
                    "--quoted"))
            {
                Tools.await("nngcat a hears nngcat b through the device", () -> a.stdoutLines().contains("\"from-b\""));
                Tools.await("nngcat b hears nngcat a through the device", () -> b.stdoutLines().contains("\"from-a\""));
                assertFalse(a.stdoutLines().contains("\"from-a\""), "the device sent a's message back to a: " + a.stdout());
                assertFalse(b.stdoutLines().contains("\"from-b\""), "the device sent b's message back to b: " + b.stdout());
            }
        }
    }

    @Test
    void nanocatAndNngcatJoinedThroughAReflector()
    {
        final String nngcat = Tools.require("nngcat", "nng-utils");
        final String nanocat = Tools.require("nanocat", "nanomsg-utils");
        try (BusSocket hub = Bus.open(BusOptions.builder().raw(true).build()); Device d = Device.reflect(hub))
        {
            final String url = hub.listen("tcp://127.0.0.1:0").url();
            try (ExternalTool a = ExternalTool.start(nngcat, "--bus0", "--dial", url, "--data", "from-nng", "--interval", "1",
                    "--quoted");
                ExternalTool b = ExternalTool.start(nanocat, "--bus", "--connect", url, "--data", "from-nanomsg",
                    "--interval", "1", "--quoted"))
            {
                Tools.await("nngcat hears nanocat through the device", () -> a.stdoutLines().contains("\"from-nanomsg\""));
                Tools.await("nanocat hears nngcat through the device", () -> b.stdoutLines().contains("\"from-nng\""));
            }
        }
    }
}
