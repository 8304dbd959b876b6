package org.spbus.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Parses an nngcat command line exactly as nngcat 1.5.2 does.
 *
 * <p><b>Why a hand parser and not picocli.</b> The brief prefers picocli (it has
 * {@code setAbbreviatedOptionsAllowed}), but picocli cannot reproduce NNG's
 * {@code nng_opts_parse()}, and a drop-in must: a long option's value may follow {@code =}
 * <em>or {@code :}</em> ({@code --data:x}); an option's argument is always the next word, even
 * one starting with {@code -} ({@code -D --raw} sends {@code --raw}); the first word that is not
 * an option, or a lone {@code -}, silently ends parsing and the rest of the line is ignored;
 * {@code --} is not end-of-options but an ambiguous prefix; {@code -vq} is "invalid", not a
 * cluster; an exact name beats longer names it is a prefix of ({@code --sub} vs {@code --sub0},
 * {@code --subscribe}); and every error must come out with nngcat's exact text at the moment
 * nngcat reports it, interleaved with value errors in argument order ({@code -i x --bogus}
 * reports the integer, {@code --bogus -i x} the option). picocli's abbreviation matcher splits
 * names on hyphens and case, its messages and exit codes differ, and it validates the whole line
 * before any value, so matching nngcat would mean overriding nearly all of it. The algorithm
 * below is NNG's, about forty lines. (picocli is used for {@code spbus demo}, which has no
 * nngcat precedent to follow; see {@link MeshDemo}.)
 *
 * <p>Not thread-safe; use one parser per command line.
 */
final class CatParser
{
    /** nngcat's option identifiers (its {@code enum options}), plus spbus's {@link Opt#STATS}. */
    enum Opt
    {
        /** --help, -h. */
        HELP,
        /** --verbose, -v. */
        VERBOSE,
        /** --silent, -q. */
        SILENT,
        /** --req0 (not supported). */
        REQ0,
        /** --rep0 (not supported). */
        REP0,
        /** --push0 (not supported). */
        PUSH0,
        /** --pull0 (not supported). */
        PULL0,
        /** --pub0 (not supported). */
        PUB0,
        /** --sub0, --sub (not supported). */
        SUB0,
        /** --surveyor0 (not supported). */
        SURVEY0,
        /** --respondent0 (not supported). */
        RESPOND0,
        /** --pair (not supported). */
        PAIR,
        /** --pair0 (not supported). */
        PAIR0,
        /** --pair1 (not supported). */
        PAIR1,
        /** --bus0. */
        BUS0,
        /** --dial, --connect. */
        DIAL,
        /** --listen, --bind. */
        LISTEN,
        /** --data, -D. */
        DATA,
        /** --file, -F. */
        FILE,
        /** --subscribe (an error with bus0). */
        SUBSCRIBE,
        /** --interval, -i. */
        INTERVAL,
        /** --delay, -d. */
        DELAY,
        /** --count, -C. */
        COUNT,
        /** --format. */
        FORMAT,
        /** --raw. */
        RAW,
        /** --ascii, -A. */
        ASCII,
        /** --quoted, -Q. */
        QUOTED,
        /** --msgpack. */
        MSGPACK,
        /** --hex. */
        HEX,
        /** --compat. */
        COMPAT,
        /** --async. */
        ASYNC,
        /** --recv-timeout. */
        RCV_TIMEO,
        /** --send-timeout. */
        SND_TIMEO,
        /** --socket-name (ignored). */
        SOCK_NAME,
        /** --bind-ipc, -X. */
        LISTEN_IPC,
        /** --connect-ipc, -x. */
        DIAL_IPC,
        /** --bind-local, -L. */
        LISTEN_LOCAL,
        /** --connect-local, -l. */
        DIAL_LOCAL,
        /** --insecure, -k (ignored). */
        INSECURE,
        /** --cacert (read, ignored). */
        CACERT,
        /** --key (read, ignored). */
        KEYFILE,
        /** --cert, -E (read, ignored). */
        CERTFILE,
        /** --version, -V. */
        VERSION,
        /** --recv-maxsz, -Z. */
        RECVMAXSZ,
        /** --zt-home (ignored). */
        ZTHOME,
        /** --stats (spbus extra). */
        STATS
    }

    /**
     * One entry of the option table.
     *
     * @param name   the long name, without {@code --}
     * @param shortName the short letter, or 0
     * @param opt    what it sets
     * @param hasArg whether it takes a value
     */
    record Spec(String name, char shortName, Opt opt, boolean hasArg)
    {
    }

    /** nngcat 1.5.2's table, in its order, plus {@code --stats}. Prefix matching is against all of it. */
    static final Spec[] SPECS = {
        new Spec("help", 'h', Opt.HELP, false),
        new Spec("verbose", 'v', Opt.VERBOSE, false),
        new Spec("silent", 'q', Opt.SILENT, false),
        new Spec("req0", '\0', Opt.REQ0, false),
        new Spec("rep0", '\0', Opt.REP0, false),
        new Spec("push0", '\0', Opt.PUSH0, false),
        new Spec("pull0", '\0', Opt.PULL0, false),
        new Spec("pub0", '\0', Opt.PUB0, false),
        new Spec("sub", '\0', Opt.SUB0, false),
        new Spec("sub0", '\0', Opt.SUB0, false),
        new Spec("surveyor0", '\0', Opt.SURVEY0, false),
        new Spec("respondent0", '\0', Opt.RESPOND0, false),
        new Spec("pair", '\0', Opt.PAIR, false),
        new Spec("pair0", '\0', Opt.PAIR0, false),
        new Spec("pair1", '\0', Opt.PAIR1, false),
        new Spec("bus0", '\0', Opt.BUS0, false),
        new Spec("dial", '\0', Opt.DIAL, true),
        new Spec("listen", '\0', Opt.LISTEN, true),
        new Spec("data", 'D', Opt.DATA, true),
        new Spec("file", 'F', Opt.FILE, true),
        new Spec("subscribe", '\0', Opt.SUBSCRIBE, true),
        new Spec("format", '\0', Opt.FORMAT, true),
        new Spec("ascii", 'A', Opt.ASCII, false),
        new Spec("quoted", 'Q', Opt.QUOTED, false),
        new Spec("raw", '\0', Opt.RAW, false),
        new Spec("hex", '\0', Opt.HEX, false),
        new Spec("compat", '\0', Opt.COMPAT, false),
        new Spec("async", '\0', Opt.ASYNC, false),
        new Spec("msgpack", '\0', Opt.MSGPACK, false),
        new Spec("recv-maxsz", 'Z', Opt.RECVMAXSZ, true),
        new Spec("count", 'C', Opt.COUNT, true),
        new Spec("delay", 'd', Opt.DELAY, true),
        new Spec("interval", 'i', Opt.INTERVAL, true),
        new Spec("recv-timeout", '\0', Opt.RCV_TIMEO, true),
        new Spec("send-timeout", '\0', Opt.SND_TIMEO, true),
        new Spec("socket-name", '\0', Opt.SOCK_NAME, true),
        new Spec("bind", '\0', Opt.LISTEN, true),
        new Spec("connect", '\0', Opt.DIAL, true),
        new Spec("bind-ipc", 'X', Opt.LISTEN_IPC, true),
        new Spec("connect-ipc", 'x', Opt.DIAL_IPC, true),
        new Spec("bind-local", 'L', Opt.LISTEN_LOCAL, true),
        new Spec("connect-local", 'l', Opt.DIAL_LOCAL, true),
        new Spec("insecure", 'k', Opt.INSECURE, false),
        new Spec("cacert", '\0', Opt.CACERT, true),
        new Spec("key", '\0', Opt.KEYFILE, true),
        new Spec("cert", 'E', Opt.CERTFILE, true),
        new Spec("zt-home", '\0', Opt.ZTHOME, true),
        new Spec("version", 'V', Opt.VERSION, false),
        // spbus extra. No prefix of an nngcat option name becomes ambiguous by it: every
        // nngcat name starting with "s" differs from "stats" at the second letter.
        new Spec("stats", '\0', Opt.STATS, false),
    };

    /** nngcat's {@code snprintf(scratch, 512, ...)} for -X/-x: at most 511 characters. */
    private static final int SCRATCH = 511;

    private final String[] argv;
    private final Charset argCharset;
    private final InputStream stdin;
    private final Supplier<byte[]> helpText;
    private final Supplier<String> version;

    /** Index of the next word (nng_opts_parse's {@code optidx}). */
    private int idx;
    /** The current option's value (nng_opts_parse's {@code optarg}). */
    private String optarg;

    /**
     * Creates a parser.
     *
     * @param argv       the arguments (without the program name)
     * @param argCharset the charset the JVM decoded the arguments with; {@code --data} is
     *                   encoded back with it, to recover the bytes the shell passed
     * @param stdin      read to its end for {@code --file -}
     * @param helpText   the {@code --help} text
     * @param version    the {@code --version} text, without its newline
     */
    CatParser(final String[] argv, final Charset argCharset, final InputStream stdin, final Supplier<byte[]> helpText,
        final Supplier<String> version)
    {
        this.argv = argv.clone();
        this.argCharset = Objects.requireNonNull(argCharset, "argCharset");
        this.stdin = Objects.requireNonNull(stdin, "stdin");
        this.helpText = Objects.requireNonNull(helpText, "helpText");
        this.version = Objects.requireNonNull(version, "version");
    }

    /** nng_opts_parse's results: an option, the end of options, or an error. */
    private enum Status
    {
        OK, END, INVALID, AMBIGUOUS, NOARG
    }

    /**
     * Parses and validates the command line, reporting errors exactly when and as nngcat
     * does: each option in order (including reading {@code --file}), then
     * {@code No address specified.}, the {@code --compat} conflicts, {@code --subscribe},
     * {@code --interval} without data and {@code No protocol specified.}
     *
     * @return the options of a run that can start
     * @throws CliExit for {@code --help}, {@code --version} and every error
     */
    CatOptions parse()
    {
        final CatOptions o = new CatOptions();
        idx = 0;
        Spec spec;
        while (true)
        {
            final Status st = next();
            if (st == Status.END)
            {
                break;
            }
            switch (st)
            {
                case INVALID:
                    throw CliExit.fatal("Option " + argv[idx] + " is invalid.");
                case AMBIGUOUS:
                    throw CliExit.fatal("Option " + argv[idx] + " is ambiguous (specify in full).");
                case NOARG:
                    throw CliExit.fatal("Option " + argv[idx] + " requires argument.");
                default:
                    break;
            }
            spec = current;
            apply(o, spec.opt(), optarg);
        }

        if (o.addresses.isEmpty())
        {
            throw CliExit.fatal("No address specified.");
        }
        if (o.compat)
        {
            if (o.async)
            {
                throw CliExit.fatal("Options --async and --compat are incompatible.");
            }
            if (o.count != 0)
            {
                throw CliExit.fatal("Options --count and --compat are incompatible.");
            }
            o.async = true;
        }
        if (o.subscriptions > 0)
        {
            throw CliExit.fatal("Protocol does not support --subscribe.");
        }
        if (o.intervalMs >= 0 && o.data == null)
        {
            throw CliExit.fatal("Option --interval requires either --file or --data.");
        }
        if (!o.bus0)
        {
            throw CliExit.fatal("No protocol specified.");
        }
        return o;
    }

    /** The spec {@link #next()} matched. */
    private Spec current;

    /**
     * NNG's {@code nng_opts_parse()}: matches {@code argv[idx]} against {@link #SPECS}. On
     * {@link Status#OK} sets {@link #current} and {@link #optarg} and advances {@link #idx};
     * on an error leaves {@link #idx} on the offending word.
     */
    private Status next()
    {
        final int i = idx;
        if (i >= argv.length)
        {
            return Status.END;
        }
        String arg = argv[i];
        if (arg.isEmpty() || arg.charAt(0) != '-')
        {
            return Status.END;
        }
        if (arg.length() == 1)
        {
            idx = i + 1;
            return Status.END;
        }
        final boolean shortopt;
        final int l;
        if (arg.charAt(1) == '-')
        {
            arg = arg.substring(2);
            shortopt = false;
            int n = 0;
            while (n < arg.length() && arg.charAt(n) != '=' && arg.charAt(n) != ':')
            {
                n++;
            }
            l = n;
        }
        else
        {
            arg = arg.substring(1);
            shortopt = true;
            l = 1;
        }

        int matches = 0;
        Spec opt = null;
        for (final Spec s : SPECS)
        {
            if (shortopt)
            {
                if (s.shortName() != '\0' && arg.charAt(0) == s.shortName())
                {
                    matches = 1;
                    opt = s;
                    break;
                }
                continue;
            }
            if (!s.name().startsWith(arg.substring(0, l)))
            {
                continue;
            }
            matches++;
            opt = s;
            if (s.name().length() == l)
            {
                matches = 1; // a perfect match wins
                break;
            }
        }
        if (matches == 0)
        {
            return Status.INVALID;
        }
        if (matches > 1)
        {
            return Status.AMBIGUOUS;
        }
        if (!opt.hasArg())
        {
            if (arg.length() > l)
            {
                return Status.INVALID; // no clustering of short options, no value for a flag
            }
            current = opt;
            optarg = null;
            idx = i + 1;
            return Status.OK;
        }
        int j = i;
        if (arg.length() > l)
        {
            optarg = shortopt ? arg.substring(l) : arg.substring(l + 1);
        }
        else
        {
            j++;
            if (j >= argv.length)
            {
                return Status.NOARG;
            }
            optarg = argv[j];
        }
        idx = j + 1;
        current = opt;
        return Status.OK;
    }

    /** nngcat's big {@code switch (val)}: one option's effect, with its errors. */
    private void apply(final CatOptions o, final Opt opt, final String arg)
    {
        switch (opt)
        {
            case HELP:
                throw CliExit.stdout(1, helpText.get());
            case VERSION:
                throw CliExit.stdout(0, (version.get() + "\n").getBytes(StandardCharsets.UTF_8));
            case BUS0:
                if (o.bus0)
                {
                    throw CliExit.fatal("Only one protocol may be specified.");
                }
                o.bus0 = true;
                break;
            case REQ0:
            case REP0:
            case PUSH0:
            case PULL0:
            case PUB0:
            case SUB0:
            case SURVEY0:
            case RESPOND0:
            case PAIR:
            case PAIR0:
            case PAIR1:
                if (o.bus0)
                {
                    throw CliExit.fatal("Only one protocol may be specified.");
                }
                throw CliExit.fatal("Protocol --" + protocolName(opt) + " is not supported: spbus only speaks bus0"
                    + " (use --bus0).");
            case DIAL:
                o.addresses.add(new CatOptions.Address(CatOptions.Mode.DIAL, arg));
                break;
            case LISTEN:
                o.addresses.add(new CatOptions.Address(CatOptions.Mode.LISTEN, arg));
                break;
            case DIAL_LOCAL:
            case LISTEN_LOCAL:
            {
                final int port = intarg(arg, 65536);
                o.addresses.add(new CatOptions.Address(opt == Opt.DIAL_LOCAL ? CatOptions.Mode.DIAL
                    : CatOptions.Mode.LISTEN, "tcp://127.0.0.1:" + port));
                break;
            }
            case DIAL_IPC:
            case LISTEN_IPC:
            {
                String url = "ipc:///" + arg;
                if (url.length() > SCRATCH)
                {
                    url = url.substring(0, SCRATCH);
                }
                o.addresses.add(new CatOptions.Address(opt == Opt.DIAL_IPC ? CatOptions.Mode.DIAL
                    : CatOptions.Mode.LISTEN, url));
                break;
            }
            case COUNT:
                o.count = intarg(arg, 0x7fffffff);
                break;
            case SUBSCRIBE:
                o.subscriptions++;
                break;
            case VERBOSE:
                o.verbose = true;
                break;
            case SILENT:
                o.verbose = false;
                break;
            case DELAY:
                o.delayMs = intarg(arg, 86400) * 1000L;
                break;
            case INTERVAL:
                o.intervalMs = intarg(arg, 86400) * 1000L;
                break;
            case SND_TIMEO:
                o.sendTimeoutMs = intarg(arg, 86400) * 1000L;
                break;
            case RCV_TIMEO:
                o.recvTimeoutMs = intarg(arg, 86400) * 1000L;
                break;
            case RECVMAXSZ:
            {
                final int v = intarg(arg, 0x7fffffff);
                o.recvMaxSize = v == 0 ? 0x7fffffff : v;
                break;
            }
            case COMPAT:
                o.compat = true;
                break;
            case ASYNC:
                o.async = true;
                break;
            case ASCII:
            case RAW:
            case QUOTED:
            case MSGPACK:
            case HEX:
                if (o.format != null)
                {
                    throw CliExit.fatal("Format may be specified only once.");
                }
                o.format = OutputFormat.valueOf(opt.name());
                break;
            case FORMAT:
            {
                if (o.format != null)
                {
                    throw CliExit.fatal("Format may be specified only once.");
                }
                final OutputFormat f = OutputFormat.byName(arg);
                if (f == null)
                {
                    throw CliExit.fatal("Invalid format specified.");
                }
                o.format = f;
                break;
            }
            case FILE:
                if (o.data != null)
                {
                    throw CliExit.fatal("Data (--file, --data) may be specified only once.");
                }
                o.data = loadfile(arg);
                break;
            case DATA:
                if (o.data != null)
                {
                    throw CliExit.fatal("Data (--file, --data) may be specified only once.");
                }
                o.data = arg.getBytes(argCharset);
                break;
            case CACERT:
                if (o.cacert)
                {
                    throw CliExit.fatal("CA Certificate (--cacert) may be specified only once.");
                }
                loadfile(arg);
                o.cacert = true;
                break;
            case KEYFILE:
                if (o.keyfile)
                {
                    throw CliExit.fatal("Key (--key) may be specified only once.");
                }
                loadfile(arg);
                o.keyfile = true;
                break;
            case CERTFILE:
                if (o.certfile)
                {
                    throw CliExit.fatal("Cert (--cert) may be specified only once.");
                }
                loadfile(arg);
                o.certfile = true;
                break;
            case ZTHOME:
            case INSECURE:
            case SOCK_NAME:
                break; // accepted and ignored, as nngcat does for tcp/ipc/inproc
            case STATS:
                o.stats = true;
                break;
            default:
                throw new AssertionError(opt);
        }
    }

    private static String protocolName(final Opt opt)
    {
        switch (opt)
        {
            case SURVEY0:
                return "surveyor0";
            case RESPOND0:
                return "respondent0";
            default:
                return opt.name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * nngcat's {@code intarg()}: decimal digits only, checked while they are read, with C
     * {@code int} arithmetic (so an overflow that wraps around to a non-negative value is
     * accepted, as it is by nngcat).
     *
     * @param val  the text
     * @param maxv the largest value allowed
     * @return the value
     * @throws CliExit {@code Empty integer argument.}, {@code Integer argument expected.},
     *                 {@code Integer argument too large.} or {@code Integer argument overflow.}
     */
    static int intarg(final String val, final int maxv)
    {
        if (val.isEmpty())
        {
            throw CliExit.fatal("Empty integer argument.");
        }
        int v = 0;
        for (int i = 0; i < val.length(); i++)
        {
            final char c = val.charAt(i);
            if (c < '0' || c > '9')
            {
                throw CliExit.fatal("Integer argument expected.");
            }
            v *= 10;
            v += c - '0';
            if (v > maxv)
            {
                throw CliExit.fatal("Integer argument too large.");
            }
        }
        if (v < 0)
        {
            throw CliExit.fatal("Integer argument overflow.");
        }
        return v;
    }

    /**
     * nngcat's {@code loadfile()}: the whole file in binary, or stdin to its end for {@code -}.
     *
     * @throws CliExit {@code Cannot open file PATH: REASON} or {@code Read from PATH failed: REASON}
     */
    private byte[] loadfile(final String path)
    {
        if (path.equals("-"))
        {
            try
            {
                return stdin.readAllBytes();
            }
            catch (final IOException e)
            {
                throw CliExit.fatal("Read from - failed: " + reason(e));
            }
        }
        final Path p;
        try
        {
            p = Path.of(path);
        }
        catch (final InvalidPathException e)
        {
            throw CliExit.fatal("Cannot open file " + path + ": Invalid argument");
        }
        if (Files.isDirectory(p))
        {
            // fopen() succeeds on a directory; the read then fails.
            throw CliExit.fatal("Read from " + path + " failed: Is a directory");
        }
        try
        {
            return Files.readAllBytes(p);
        }
        catch (final IOException e)
        {
            throw CliExit.fatal("Cannot open file " + path + ": " + reason(e));
        }
    }

    /** The {@code strerror()} text of a file error. */
    private static String reason(final IOException e)
    {
        if (e instanceof NoSuchFileException)
        {
            return "No such file or directory";
        }
        if (e instanceof AccessDeniedException)
        {
            return "Permission denied";
        }
        if (e instanceof FileSystemException && ((FileSystemException)e).getReason() != null)
        {
            return ((FileSystemException)e).getReason();
        }
        return String.valueOf(e.getMessage());
    }
}
