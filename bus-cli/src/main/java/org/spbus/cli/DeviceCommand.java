package org.spbus.cli;

import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.spbus.Bus;
import org.spbus.BusException;
import org.spbus.BusOptions;
import org.spbus.BusSocket;
import org.spbus.DialMode;
import org.spbus.Device;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code spbus device}: one raw BUS socket over every given URL, relaying each message it
 * receives to all of its other pipes ({@link Device#reflect(BusSocket)}), so that peers that
 * only dial the device, or meshes joined through it, form one bus. Runs until stopped
 * (Ctrl-C, SIGTERM) or for {@code --duration} seconds. Cooked BUS sockets never forward
 * (BU-6); the device is the explicit way to forward. Keep device topologies acyclic: BUS has
 * no hop count.
 */
@Command(name = "spbus device", mixinStandardHelpOptions = true, versionProvider = MeshDemo.Version.class,
    description = "Relay every message between all pipes of one raw BUS socket (a reflector).")
final class DeviceCommand implements Callable<Integer>
{
    @Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = {"--listen", "--bind"}, paramLabel = "<url>", description = "Listen at this URL (repeatable).")
    private List<String> listen = new ArrayList<>();

    @Option(names = {"--dial", "--connect"}, paramLabel = "<url>",
        description = "Dial this URL, retrying in the background until it answers (repeatable).")
    private List<String> dial = new ArrayList<>();

    @Option(names = "--duration", paramLabel = "<secs>", defaultValue = "0",
        description = "Stop after this many seconds; 0 (the default) runs until stopped.")
    private long durationSeconds;

    @Option(names = "--stats", description = "Print the socket's counters to stderr on exit (also when stopped by a signal).")
    private boolean stats;

    @Option(names = {"-v", "--verbose"}, description = "Print the bound and dialed URLs.")
    private boolean verbose;

    private final PrintWriter out;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final CountDownLatch done = new CountDownLatch(1);

    private DeviceCommand(final PrintWriter out)
    {
        this.out = out;
    }

    /**
     * Parses the options and runs the device.
     *
     * @param args the arguments after {@code device}
     * @param out  where {@code --verbose} prints
     * @param err  where errors and {@code --stats} go
     * @param stopOnSignal whether a shutdown hook stops the device cleanly on Ctrl-C or SIGTERM
     * @return the exit code: 0 when stopped, 1 on errors
     */
    static int run(final String[] args, final OutputStream out, final PrintStream err, final boolean stopOnSignal)
    {
        final PrintWriter pw = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true);
        final PrintWriter ew = new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true);
        final DeviceCommand cmd = new DeviceCommand(pw);
        final CommandLine cl = new CommandLine(cmd);
        cl.setOut(pw);
        cl.setErr(ew);
        if (stopOnSignal)
        {
            // On Ctrl-C or SIGTERM: stop the device, and let it close and print before the JVM exits.
            Runtime.getRuntime().addShutdownHook(new Thread(() ->
            {
                cmd.stop.countDown();
                try
                {
                    cmd.done.await(5, TimeUnit.SECONDS);
                }
                catch (final InterruptedException e)
                {
                    Thread.currentThread().interrupt();
                }
            }, "spbus-device-stop"));
        }
        try
        {
            return cl.execute(args);
        }
        finally
        {
            cmd.done.countDown();
        }
    }

    /**
     * Runs the device once the options are parsed.
     *
     * @return the exit code
     * @throws ParameterException if no URL is given
     */
    @Override
    public Integer call()
    {
        if (listen.isEmpty() && dial.isEmpty())
        {
            throw new ParameterException(spec.commandLine(), "give at least one --listen or --dial URL");
        }
        try (BusSocket socket = Bus.open(BusOptions.builder().raw(true).build()))
        {
            for (final String url : listen)
            {
                final String bound = socket.listen(url).url();
                if (verbose)
                {
                    out.println("Listening at: " + bound);
                }
            }
            for (final String url : dial)
            {
                socket.dial(url, DialMode.NON_BLOCKING);
                if (verbose)
                {
                    out.println("Dialing: " + url);
                }
            }
            try (Device device = Device.reflect(socket))
            {
                if (durationSeconds > 0)
                {
                    stop.await(durationSeconds, TimeUnit.SECONDS);
                }
                else
                {
                    stop.await();
                }
                if (verbose)
                {
                    out.println("Relayed: " + device.relayed() + " messages");
                }
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
            }
            if (stats)
            {
                final PrintWriter err = spec.commandLine().getErr();
                err.print(socket.stats().format());
                err.flush();
            }
            return 0;
        }
        catch (final BusException e)
        {
            spec.commandLine().getErr().println("spbus device: " + e.getMessage());
            return 1;
        }
    }
}
