package org.spbus.tck;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit 5 extension that fails a test which leaves something of spbus behind (seed NF-5:
 * "when close returns, no threads, no file descriptors and no socket files are left").
 * After each test, each check waiting (bounded) for things that may take a moment to go:
 * <ol>
 *   <li><b>threads</b>: no live thread named {@code spbus-*} that was not alive before the test;</li>
 *   <li><b>file descriptors</b> (Linux, {@code /proc/self/fd}): the number of open sockets, pipes
 *       and other non-file descriptors is back to at most {@value #DEFAULT_IO_FD_TOLERANCE} above
 *       its count before the test, and the total count at most {@value #DEFAULT_FD_TOLERANCE} above
 *       (the JDK opens jar files and the like for good as classes load);</li>
 *   <li><b>Unix socket files</b>: no socket file appeared during the test and is still there,
 *       unless a live socket of another process is bound to it. Searched in the directories given
 *       to {@link #watch(Path)} and in the temporary directory's subdirectories named
 *       {@code spbus-*} or {@code junit*} (the TCK fixtures' and {@code @TempDir}'s).</li>
 * </ol>
 *
 * <p>Use it with {@code @ExtendWith(LeakCheck.class)} on a test class, or as a field with
 * {@code @RegisterExtension}; {@link AbstractBusTck} does the latter, and checks the socket files
 * itself ({@link #assertNoSocketFilesLeft()}) before the fixture's cleanup deletes its directory.
 *
 * <p>The checks compare against the process as a whole, so tests must not run concurrently in
 * one JVM (JUnit's and Surefire's default). Tolerances can be changed with the system properties
 * {@value #FD_TOLERANCE_PROPERTY} and {@value #IO_FD_TOLERANCE_PROPERTY}; the wait is
 * {@link Await#timeout()}. The {@value #DISABLE_PROPERTY} property ({@code true}) turns the
 * checks off, for debugging elsewhere.
 */
public class LeakCheck implements BeforeEachCallback, AfterEachCallback
{
    /** System property: how many more descriptors of any kind are tolerated after a test. */
    public static final String FD_TOLERANCE_PROPERTY = "spbus.tck.fdTolerance";
    /** System property: how many more socket, pipe and anonymous-inode descriptors are tolerated. */
    public static final String IO_FD_TOLERANCE_PROPERTY = "spbus.tck.ioFdTolerance";
    /** System property: {@code true} disables every check. */
    public static final String DISABLE_PROPERTY = "spbus.tck.leakCheck.disabled";
    /** Default of {@value #FD_TOLERANCE_PROPERTY}. */
    public static final int DEFAULT_FD_TOLERANCE = 16;
    /** Default of {@value #IO_FD_TOLERANCE_PROPERTY}: one, for the JDK's one-time NIO helper socket. */
    public static final int DEFAULT_IO_FD_TOLERANCE = 1;

    private static final Path PROC_FD = Paths.get("/proc/self/fd");
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;

    private final List<Path> watched = new CopyOnWriteArrayList<>();
    private volatile Snapshot before;

    /** Creates the extension; JUnit does so for {@code @ExtendWith(LeakCheck.class)}. */
    public LeakCheck()
    {
    }

    /**
     * Adds a directory whose socket files are checked, for a test that binds Unix sockets
     * outside the default places. Call it from the test or a {@code @BeforeEach} method.
     *
     * @param dir the directory (searched three levels deep)
     * @return this extension
     */
    public LeakCheck watch(final Path dir)
    {
        watched.add(dir);
        final Snapshot s = before;
        if (s != null)
        {
            s.socketFiles.addAll(socketFiles(List.of(dir)));
        }
        return this;
    }

    @Override
    public void beforeEach(final ExtensionContext context)
    {
        before = disabled() ? null : new Snapshot(spbusThreads(), fds(), socketFiles(roots()));
    }

    @Override
    public void afterEach(final ExtensionContext context)
    {
        final Snapshot b = before;
        if (b == null)
        {
            return;
        }
        try
        {
            assertNoThreadLeft(b);
            assertDescriptorsBack(b);
            assertNoSocketFilesLeft(b);
        }
        finally
        {
            before = null;
        }
    }

    /**
     * Checks the socket files now, waiting (bounded) for them to go: for a caller that must look
     * before something else deletes their directory, such as a fixture's cleanup.
     *
     * @throws org.opentest4j.AssertionFailedError if a socket file the test made is still there
     */
    public void assertNoSocketFilesLeft()
    {
        final Snapshot b = before;
        if (b != null)
        {
            assertNoSocketFilesLeft(b);
        }
    }

    // ---------------------------------------------------------------- the checks

    private static void assertNoThreadLeft(final Snapshot b)
    {
        Await.until(() -> newThreads(b).isEmpty(), Await.timeout(),
            () -> "NF-5 leak: spbus threads still alive after the test: " + describeThreads(newThreads(b)));
    }

    private static Set<Thread> newThreads(final Snapshot b)
    {
        final Set<Thread> now = new HashSet<>(spbusThreads());
        now.removeAll(b.threads);
        return now;
    }

    private static String describeThreads(final Set<Thread> threads)
    {
        final StringBuilder sb = new StringBuilder();
        for (final Thread t : threads)
        {
            sb.append("\n  ").append(t.getName()).append(" (").append(t.getState()).append(')');
            final StackTraceElement[] st = t.getStackTrace();
            for (int i = 0; i < Math.min(6, st.length); i++)
            {
                sb.append("\n      at ").append(st[i]);
            }
        }
        return sb.toString();
    }

    private static void assertDescriptorsBack(final Snapshot b)
    {
        if (b.fds == null)
        {
            return; // no /proc/self/fd here
        }
        final int tolerance = intProperty(FD_TOLERANCE_PROPERTY, DEFAULT_FD_TOLERANCE);
        final int ioTolerance = intProperty(IO_FD_TOLERANCE_PROPERTY, DEFAULT_IO_FD_TOLERANCE);
        final long ioBefore = ioCount(b.fds);
        Await.until(() ->
        {
            final Map<Integer, String> now = fds();
            return now != null && now.size() <= b.fds.size() + tolerance && ioCount(now) <= ioBefore + ioTolerance;
        }, Await.timeout(), () ->
        {
            final Map<Integer, String> now = fds();
            return "NF-5 leak: file descriptors not released: " + b.fds.size() + " open before the test (" + ioBefore
                + " sockets/pipes), " + (now == null ? "?" : now.size() + " after (" + ioCount(now) + " sockets/pipes)")
                + "; tolerance " + tolerance + " (" + ioTolerance + " sockets/pipes); opened during the test: "
                + describeNew(b.fds, now);
        });
    }

    private static String describeNew(final Map<Integer, String> before, final Map<Integer, String> now)
    {
        if (now == null)
        {
            return "?";
        }
        final Map<String, Integer> byTarget = new TreeMap<>();
        for (final Map.Entry<Integer, String> e : now.entrySet())
        {
            if (!e.getValue().equals(before.get(e.getKey())))
            {
                final String kind = e.getValue().replaceAll("\\[\\d+\\]", "[...]");
                byTarget.merge(kind, 1, Integer::sum);
            }
        }
        return byTarget.toString();
    }

    private static long ioCount(final Map<Integer, String> fds)
    {
        return fds.values().stream().filter(LeakCheck::isIo).count();
    }

    private static boolean isIo(final String target)
    {
        return target.startsWith("socket:") || target.startsWith("pipe:") || target.startsWith("anon_inode:");
    }

    private void assertNoSocketFilesLeft(final Snapshot b)
    {
        final List<Path> roots = roots();
        Await.until(() -> leftSocketFiles(b, roots).isEmpty(), Await.timeout(),
            () -> "NF-5 leak: Unix socket files made during the test are still there: " + leftSocketFiles(b, roots));
    }

    private static Set<Path> leftSocketFiles(final Snapshot b, final List<Path> roots)
    {
        final Set<Path> left = new TreeSet<>(socketFiles(roots));
        left.removeAll(b.socketFiles);
        if (left.isEmpty())
        {
            return left;
        }
        // A file a live socket of another process is bound to is that process's business.
        final Map<String, Long> bound = boundUnixPaths();
        final Set<Long> ours = ourSocketInodes();
        left.removeIf(p ->
        {
            final Long inode = bound.get(p.toString());
            return inode != null && !ours.contains(inode);
        });
        return left;
    }

    // ---------------------------------------------------------------- observations

    private record Snapshot(Set<Thread> threads, Map<Integer, String> fds, Set<Path> socketFiles)
    {
    }

    private static boolean disabled()
    {
        return Boolean.getBoolean(DISABLE_PROPERTY);
    }

    private static int intProperty(final String name, final int def)
    {
        try
        {
            return Integer.parseInt(System.getProperty(name, Integer.toString(def)).trim());
        }
        catch (final NumberFormatException e)
        {
            return def;
        }
    }

    /**
     * Returns the live threads named {@code spbus-*}.
     *
     * @return the threads
     */
    public static Set<Thread> spbusThreads()
    {
        final Set<Thread> out = new HashSet<>();
        for (final Thread t : Thread.getAllStackTraces().keySet())
        {
            if (t.isAlive() && t.getName().startsWith("spbus-"))
            {
                out.add(t);
            }
        }
        return out;
    }

    /**
     * Returns the number of open file descriptors of this process.
     *
     * @return the count, or -1 where {@code /proc/self/fd} does not exist
     */
    public static int openFileDescriptors()
    {
        final Map<Integer, String> m = fds();
        return m == null ? -1 : m.size();
    }

    /** The open descriptors and what each points to, or null without /proc. */
    private static Map<Integer, String> fds()
    {
        if (!Files.isDirectory(PROC_FD))
        {
            return null;
        }
        final Map<Integer, String> out = new TreeMap<>();
        int dirFd = -1;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(PROC_FD))
        {
            for (final Path p : ds)
            {
                final int fd;
                try
                {
                    fd = Integer.parseInt(p.getFileName().toString());
                }
                catch (final NumberFormatException e)
                {
                    continue;
                }
                String target;
                try
                {
                    target = Files.readSymbolicLink(p).toString();
                }
                catch (final IOException e)
                {
                    target = "?"; // closed while listing
                }
                if (target.equals(PROC_FD.toString()) || target.startsWith("/proc/") && target.endsWith("/fd"))
                {
                    dirFd = fd; // the listing's own descriptor
                }
                out.put(fd, target);
            }
        }
        catch (final IOException e)
        {
            return null;
        }
        out.remove(dirFd);
        out.values().removeIf("?"::equals);
        return out;
    }

    private List<Path> roots()
    {
        final List<Path> roots = new ArrayList<>(watched);
        final Set<Path> tmps = new TreeSet<>();
        tmps.add(Paths.get(System.getProperty("java.io.tmpdir")));
        tmps.add(Paths.get("/tmp"));
        for (final Path tmp : tmps)
        {
            if (!Files.isDirectory(tmp))
            {
                continue;
            }
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(tmp,
                p -> p.getFileName().toString().startsWith("spbus-") || p.getFileName().toString().startsWith("junit")))
            {
                for (final Path p : ds)
                {
                    if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
                    {
                        roots.add(p);
                    }
                }
            }
            catch (final IOException e)
            {
                // not readable: nothing to check there
            }
        }
        return roots;
    }

    private static Set<Path> socketFiles(final List<Path> roots)
    {
        final Set<Path> out = new HashSet<>();
        for (final Path root : roots)
        {
            if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS))
            {
                continue;
            }
            try (Stream<Path> s = Files.walk(root, 3))
            {
                s.filter(LeakCheck::isSocketFile).map(Path::toAbsolutePath).forEach(out::add);
            }
            catch (final IOException | java.io.UncheckedIOException e)
            {
                // a directory vanished while walking: what remains is walked next time
            }
        }
        return out;
    }

    private static boolean isSocketFile(final Path p)
    {
        try
        {
            final Object mode = Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            return mode instanceof Integer && ((Integer)mode & S_IFMT) == S_IFSOCK;
        }
        catch (final UnsupportedOperationException e)
        {
            try
            {
                return Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther();
            }
            catch (final IOException x)
            {
                return false;
            }
        }
        catch (final IOException | IllegalArgumentException | SecurityException e)
        {
            return false;
        }
    }

    /** Path to socket inode of every bound Unix socket in the system (Linux), or an empty map. */
    private static Map<String, Long> boundUnixPaths()
    {
        final Path net = Paths.get("/proc/net/unix");
        if (!Files.isReadable(net))
        {
            return Collections.emptyMap();
        }
        try (Stream<String> lines = Files.lines(net))
        {
            // Num RefCount Protocol Flags Type St Inode Path
            return lines.skip(1).map(l -> l.trim().split("\\s+")).filter(f -> f.length >= 8 && f[7].startsWith("/"))
                .collect(Collectors.toMap(f -> f[7], f -> Long.parseLong(f[6]), (x, y) -> x));
        }
        catch (final IOException | RuntimeException e)
        {
            return Collections.emptyMap();
        }
    }

    private static Set<Long> ourSocketInodes()
    {
        final Map<Integer, String> fds = fds();
        final Set<Long> out = new HashSet<>();
        if (fds != null)
        {
            for (final String t : fds.values())
            {
                if (t.startsWith("socket:[") && t.endsWith("]"))
                {
                    out.add(Long.parseLong(t.substring(8, t.length() - 1)));
                }
            }
        }
        return out;
    }

    /**
     * Waits (bounded by {@code timeout}) until the number of open file descriptors is at most
     * {@code max}, for tests that count descriptors themselves.
     *
     * @param max     the most descriptors allowed
     * @param timeout the deadline
     * @param what    what is being checked, for the failure message
     */
    public static void awaitOpenFileDescriptorsAtMost(final int max, final Duration timeout, final String what)
    {
        if (openFileDescriptors() < 0)
        {
            return;
        }
        Await.until(() -> openFileDescriptors() <= max, timeout,
            () -> what + ": " + openFileDescriptors() + " file descriptors open, expected at most " + max);
    }
}
