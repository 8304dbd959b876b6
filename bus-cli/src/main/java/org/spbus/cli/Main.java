package org.spbus.cli;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Properties;
import java.util.TreeSet;

import org.spbus.Bus;

/**
 * The {@code spbus} command.
 *
 * <ul>
 *   <li>{@code spbus device --listen URL --dial URL ...}: one raw socket relaying between all
 *       its pipes, see {@link DeviceCommand};</li>
 *   <li>{@code spbus demo [options]}: a full mesh of BUS sockets in one process, see
 *       {@link MeshDemo}.</li>
 *   <li>{@code spbus <nngcat options>}: a drop-in for {@code nngcat --bus0} (NNG 1.5.2): the
 *       same options and prefixes, output formats byte for byte, {@code -v} lines, error texts
 *       on stderr and exit codes, so that a script written for nngcat runs unchanged. Only the
 *       BUS protocol is spoken; nngcat's other protocols are refused with a clear error. Extra:
 *       {@code --stats} prints the socket's counters to stderr on exit.</li>
 * </ul>
 *
 * <p>Exit codes: 0 when a run ends normally (receive timeout, count reached, last interval);
 * 1 for every error and for {@code --help} (as nngcat); 141 if stdout is closed by its reader.
 *
 * <p>Not instantiable. {@link #run} may be called by several threads at once (each call has its
 * own socket and streams).
 */
public final class Main
{
    /** Environment variable that sets the level of spbus's own log messages on stderr. */
    static final String LOG_ENV = "SPBUS_LOG";

    /** Strong reference: java.util.logging forgets the level of a logger nobody holds. */
    private static java.util.logging.Logger spbusLogger;

    private Main()
    {
    }

    /**
     * Sets the level of the engine's and transports' log messages (loggers {@code org.spbus.*},
     * printed on stderr) from {@code SPBUS_LOG}: {@code OFF}, {@code ERROR}, {@code WARNING}
     * (the default), {@code INFO}, {@code DEBUG}, {@code TRACE} or {@code ALL}. nngcat prints
     * nothing when, say, a peer is dropped for an oversized message, so by default neither
     * does spbus; {@code SPBUS_LOG=INFO} shows such events.
     *
     * @param value the variable's value, or {@code null}
     */
    static void configureLogging(final String value)
    {
        final java.util.logging.Level level;
        switch (value == null ? "" : value.trim().toUpperCase(java.util.Locale.ROOT))
        {
            case "OFF":
                level = java.util.logging.Level.OFF;
                break;
            case "ERROR":
            case "SEVERE":
                level = java.util.logging.Level.SEVERE;
                break;
            case "INFO":
                level = java.util.logging.Level.INFO;
                break;
            case "DEBUG":
            case "FINE":
                level = java.util.logging.Level.FINE;
                break;
            case "TRACE":
            case "FINER":
            case "FINEST":
                level = java.util.logging.Level.FINEST;
                break;
            case "ALL":
                level = java.util.logging.Level.ALL;
                break;
            default:
                level = java.util.logging.Level.WARNING;
                break;
        }
        spbusLogger = java.util.logging.Logger.getLogger("org.spbus");
        spbusLogger.setLevel(level);
        if (level.intValue() < java.util.logging.Level.INFO.intValue())
        {
            for (final java.util.logging.Handler h : java.util.logging.Logger.getLogger("").getHandlers())
            {
                h.setLevel(level);
            }
        }
    }

    /**
     * Runs the command and exits the JVM with its exit code. Received messages go to stdout
     * through an unshared buffer flushed after each message.
     *
     * @param args the command line
     */
    public static void main(final String[] args)
    {
        configureLogging(System.getenv(LOG_ENV));
        final OutputStream stdout = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16);
        final int rc = run(args, System.in, stdout, System.err, true);
        try
        {
            stdout.flush();
        }
        catch (final IOException e)
        {
            // the reader is gone; the exit code already says what happened
        }
        System.exit(rc);
    }

    /**
     * Runs the command in this thread and returns its exit code. Never calls
     * {@link System#exit(int)}.
     *
     * @param args the command line (without the program name)
     * @param in   stdin, read for {@code --file -}
     * @param out  stdout; messages and {@code -v} lines are flushed as they are written
     * @param err  stderr: error messages and {@code --stats}
     * @return the exit code: 0 on success, 1 on errors and {@code --help}, and the like
     */
    public static int run(final String[] args, final InputStream in, final OutputStream out, final PrintStream err)
    {
        return run(args, in, out, err, false);
    }

    /**
     * As {@link #run(String[], InputStream, OutputStream, PrintStream)}; with
     * {@code statsOnSignal} a shutdown hook, if the JVM is stopped by a signal (Ctrl-C,
     * {@code timeout}) while the session runs, prints {@code --stats} and closes the socket,
     * which removes the socket files of its {@code ipc://} listeners.
     *
     * @param args          the command line
     * @param in            stdin
     * @param out           stdout
     * @param err           stderr
     * @param statsOnSignal whether to install the shutdown hook (only for a real process)
     * @return the exit code
     */
    static int run(final String[] args, final InputStream in, final OutputStream out, final PrintStream err,
        final boolean statsOnSignal)
    {
        if (args.length > 0 && args[0].equals("demo"))
        {
            return MeshDemo.run(Arrays.copyOfRange(args, 1, args.length), out, err);
        }
        if (args.length > 0 && args[0].equals("device"))
        {
            return DeviceCommand.run(Arrays.copyOfRange(args, 1, args.length), out, err, statsOnSignal);
        }
        try
        {
            final CatOptions opts = new CatParser(args, argumentCharset(), in, Main::helpText, Main::version).parse();
            final CatSession session = new CatSession(opts, out, err);
            if (statsOnSignal)
            {
                Runtime.getRuntime().addShutdownHook(new Thread(session::onSignal, "spbus-signal"));
            }
            return session.run();
        }
        catch (final CliExit e)
        {
            final byte[] text = e.stdoutBytes();
            if (text.length > 0)
            {
                try
                {
                    out.write(text);
                    out.flush();
                }
                catch (final IOException x)
                {
                    return CatSession.RC_BROKEN_PIPE;
                }
            }
            if (e.stderrLine() != null)
            {
                err.print(e.stderrLine() + "\n");
                err.flush();
            }
            return e.code();
        }
    }

    /**
     * Returns the charset the JVM decoded the command line with ({@code sun.jnu.encoding}), so
     * that {@code --data} can be encoded back to the bytes the shell passed. The launcher runs
     * the JVM in a UTF-8 locale so that any valid UTF-8 text round-trips.
     *
     * @return the charset of the command line
     */
    static Charset argumentCharset()
    {
        final String name = System.getProperty("sun.jnu.encoding");
        try
        {
            return name == null ? Charset.defaultCharset() : Charset.forName(name);
        }
        catch (final RuntimeException e)
        {
            return Charset.defaultCharset();
        }
    }

    /**
     * Returns spbus's version, from the build.
     *
     * @return for example {@code 0.1.0-SNAPSHOT}
     */
    static String version()
    {
        try (InputStream in = Main.class.getResourceAsStream("version.properties"))
        {
            if (in != null)
            {
                final Properties p = new Properties();
                p.load(in);
                final String v = p.getProperty("version");
                if (v != null && !v.startsWith("$"))
                {
                    return v;
                }
            }
        }
        catch (final IOException e)
        {
            // fall through
        }
        return "unknown";
    }

    /**
     * Returns the {@code --help} text, laid out as nngcat's, for spbus.
     *
     * @return the text, UTF-8
     */
    static byte[] helpText()
    {
        String schemes;
        try
        {
            schemes = String.join(", ", new TreeSet<>(Bus.installedSchemes()));
        }
        catch (final RuntimeException e)
        {
            schemes = "none (" + e.getMessage() + ")";
        }
        final String text = ""
            + "Usage: spbus <proto> <addr>... [<fmt>] [<opts>...] [<src>]\n"
            + "       spbus demo [--members <n>] [--messages <n>] [--size <bytes>] [--transport tcp|inproc]\n"
            + "       spbus device (--listen <url> | --dial <url>)... [--duration <secs>] [--stats] [-v]\n"
            + "\n"
            + "spbus is a drop-in for nngcat that speaks only the BUS protocol (bus0).\n"
            + "\n"
            + "<proto> must be:\n"
            + "  --bus0                 (or alias --bus)\n"
            + "  (nngcat's --req0 --rep0 --pub0 --sub0 --push0 --pull0 --surveyor0\n"
            + "   --respondent0 --pair0 --pair1 --pair are not supported)\n"
            + "\n"
            + "<addr> must be one or more of:\n"
            + "  --dial <url>           (or alias --connect <url>)\n"
            + "  --listen <url>         (or alias --bind <url>)\n"
            + "  --bind-local <port>    (or alias -L <port>)\n"
            + "  --connect-local <port> (or alias -l <port>)\n"
            + "  --bind-ipc <path>      (or alias -X <path>)\n"
            + "  --connect-ipc <path>   (or alias -x <path>)\n"
            + "  URL schemes installed: " + schemes + "\n"
            + "\n"
            + "<fmt> may be one or none of:\n"
            + "  --format <no|ascii|hex|msgpack|quoted|raw>\n"
            + "  --ascii                (or alias -A)\n"
            + "  --quoted               (or alias -Q)\n"
            + "  --hex\n"
            + "  --msgpack\n"
            + "  --raw\n"
            + "\n"
            + "<opts> may be any of:\n"
            + "  --silent               (or alias -q)\n"
            + "  --verbose              (or alias -v)\n"
            + "  --count <num>          (or alias -C <num>)\n"
            + "  --delay <secs>         (or alias -d <secs>)\n"
            + "  --interval <secs>      (or alias -i <secs>)\n"
            + "  --recv-timeout <secs>\n"
            + "  --send-timeout <secs>\n"
            + "  --recv-maxsz <size>    (or alias -Z <size>)\n"
            + "  --compat\n"
            + "  --async\n"
            + "  --stats                print the socket's counters to stderr on exit\n"
            + "  --insecure, -k, --cacert <file>, --cert <file>, -E <file>, --key <file>,\n"
            + "  --zt-home <path>       accepted for compatibility; no TLS or ZeroTier transport\n"
            + "\n"
            + "<src> may be one of:\n"
            + "  --file <file>          (or alias -F <file>). Use - for standard input.\n"
            + "  --data <data>          (or alias -D <data>)\n";
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
