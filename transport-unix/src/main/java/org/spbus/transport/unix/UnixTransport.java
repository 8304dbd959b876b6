package org.spbus.transport.unix;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

import org.newsclub.net.unix.AFUNIXSelectorProvider;
import org.newsclub.net.unix.AFUNIXServerSocketChannel;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.newsclub.net.unix.AFUNIXSocketChannel;
import org.newsclub.net.unix.AFUNIXSocketCredentials;
import org.spbus.AddressInUseException;
import org.spbus.InvalidAddressException;
import org.spbus.PeerRejectedException;
import org.spbus.TransportException;
import org.spbus.spi.EndpointConfig;
import org.spbus.spi.ListenerHandler;
import org.spbus.spi.Transport;
import org.spbus.spi.TransportDialer;
import org.spbus.spi.TransportListener;
import org.spbus.spi.stream.Framing;
import org.spbus.spi.stream.StreamDialer;
import org.spbus.spi.stream.StreamListener;
import org.spbus.spi.stream.StreamSupport;

/**
 * Unix domain sockets: {@code ipc://PATH}, {@code unix://PATH} and {@code abstract://NAME},
 * with NNG's IPC framing (SP header exchange, then {@code 0x01}, a 64-bit big-endian length
 * and the payload; NNG {@code src/sp/transport/ipc}).
 *
 * <p>Listening on a path follows NNG's procedure, made safer (sp-wire-protocol.md 4.3): if the
 * path exists and is a socket that someone accepts on, {@link AddressInUseException}; if it is
 * a socket nobody accepts on (left by a killed process), it is replaced; anything else at the
 * path is left alone and the listen fails. The listener removes its socket file on close, but
 * only if the file is still the one it created.
 *
 * <p>Settings read from {@link org.spbus.BusOptions#transportProperties()}:
 * <ul>
 *   <li>{@value #PERMISSIONS}: the socket file's mode in octal, for example {@code 0600}.
 *       The socket is bound inside a fresh private (0700) directory beside it, given this mode, then
 *       hard-linked into place, so there is no moment at which other users could connect.
 *       Ignored for {@code abstract://}, which has no file.</li>
 *   <li>{@value #ALLOWED_UIDS}: a comma-separated list of uids. A peer whose uid
 *       ({@code SO_PEERCRED}) is not listed is closed before the header exchange, and counted
 *       as {@link org.spbus.Counter#PEERS_REJECTED}.</li>
 * </ul>
 * Every pipe reports its peer's credentials as the properties {@code peer.uid},
 * {@code peer.gid} and {@code peer.pid} ({@code Long}).
 *
 * <p>Thread-safe; one instance serves the whole JVM.
 */
public final class UnixTransport implements Transport
{
    /** Transport property: octal mode of IPC socket files, e.g. {@code 0600}. */
    public static final String PERMISSIONS = "ipc.permissions";
    /** Transport property: comma-separated uids allowed to connect, e.g. {@code 1000,1001}. */
    public static final String ALLOWED_UIDS = "ipc.allowedUids";
    private static final int BACKLOG = 128;
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;

    /** Creates the transport (used by {@link java.util.ServiceLoader}). */
    public UnixTransport()
    {
    }

    @Override
    public Set<String> schemes()
    {
        return Set.of("ipc", "unix", "abstract");
    }

    @Override
    public TransportListener listen(final String url, final EndpointConfig config, final ListenerHandler handler)
    {
        final UnixAddress a = UnixAddress.parse(url);
        final Set<PosixFilePermission> perms = permissions(url, config);
        final StreamSupport support = support(config);
        AFUNIXServerSocketChannel ch = null;
        try
        {
            ch = AFUNIXServerSocketChannel.open();
            ch.setDeleteOnClose(false);
            ch.setOption(StandardSocketOptions.SO_REUSEADDR, false);
            if (a.isAbstract())
            {
                bind(ch, a.socketAddress(), url);
                return StreamListener.start(ch, a.url(), support, config, handler, null);
            }
            final Path path = a.path;
            final Path parent = path.toAbsolutePath().getParent();
            if (parent == null || !Files.isDirectory(parent))
            {
                throw new TransportException("cannot listen on " + url + ": directory " + parent + " does not exist", null);
            }
            removeIfStale(path, url);
            final Path privateDir;
            if (perms == null)
            {
                bind(ch, AFUNIXSocketAddress.of(path), url);
                privateDir = null;
            }
            else
            {
                privateDir = bindWithPermissions(ch, path, parent, perms, url);
            }
            final Object fileKey = fileKey(path);
            final StreamSupport own = support.withFormatter(local -> a.url());
            return StreamListener.start(ch, a.url(), own, config, handler, () ->
            {
                removeIfOurs(path, fileKey);
                if (privateDir != null)
                {
                    removeIfOurs(privateDir.resolve("s"), fileKey);
                    try
                    {
                        Files.deleteIfExists(privateDir);
                    }
                    catch (final IOException e)
                    {
                        // not empty or gone: leave it
                    }
                }
            });
        }
        catch (final IOException e)
        {
            close(ch);
            throw new TransportException("cannot listen on " + url + ": " + e.getMessage(), e);
        }
        catch (final RuntimeException e)
        {
            close(ch);
            throw e;
        }
    }

    @Override
    public TransportDialer dialer(final String url, final EndpointConfig config)
    {
        final UnixAddress a = UnixAddress.parse(url);
        permissions(url, config);
        return new StreamDialer(url, support(config), config, new StreamDialer.Connector()
        {
            @Override
            public SocketAddress resolve() throws IOException
            {
                return a.socketAddress();
            }

            @Override
            public SocketChannel open(final SocketAddress address) throws IOException
            {
                return AFUNIXSocketChannel.open();
            }
        }, AFUNIXSelectorProvider.provider());
    }

    private static StreamSupport support(final EndpointConfig config)
    {
        // junixsocket 2.10's non-blocking read returns 0, not -1, once the peer has closed.
        final StreamSupport base = new StreamSupport(Framing.IPC, (ch, cfg) -> { }, UnixTransport::format,
            UnixTransport::credentials).withZeroReadAsEndOfStream();
        final String allowed = config.properties().get(ALLOWED_UIDS);
        if (allowed == null)
        {
            return base;
        }
        final Set<Long> uids = parseUids(allowed);
        return base.withAdmission((ch, cfg) ->
        {
            final AFUNIXSocketCredentials c = ((AFUNIXSocketChannel)ch).getPeerCredentials();
            if (c == null || !uids.contains(c.getUid()))
            {
                return new PeerRejectedException("peer uid " + (c == null ? "unknown" : c.getUid())
                    + " (pid " + (c == null ? "?" : c.getPid()) + ") is not in " + ALLOWED_UIDS + " " + uids);
            }
            return null;
        });
    }

    static Set<Long> parseUids(final String list)
    {
        final Set<Long> uids = new HashSet<>();
        for (final String s : list.split(","))
        {
            final String t = s.trim();
            if (t.isEmpty())
            {
                continue;
            }
            try
            {
                uids.add(Long.parseLong(t));
            }
            catch (final NumberFormatException e)
            {
                throw new IllegalArgumentException(ALLOWED_UIDS + " must be a comma-separated list of uids: '" + list + "'");
            }
        }
        return Set.copyOf(uids);
    }

    private static Set<PosixFilePermission> permissions(final String url, final EndpointConfig config)
    {
        final String p = config.properties().get(PERMISSIONS);
        if (p == null)
        {
            return null;
        }
        final int mode;
        try
        {
            mode = Integer.parseInt(p.trim(), 8);
        }
        catch (final NumberFormatException e)
        {
            throw new InvalidAddressException(PERMISSIONS + " must be an octal mode such as 0600: '" + p + "'");
        }
        if (mode < 0 || mode > 0777)
        {
            throw new InvalidAddressException(PERMISSIONS + " must be between 0 and 0777: '" + p + "'");
        }
        final StringBuilder sb = new StringBuilder();
        final String rwx = "rwxrwxrwx";
        for (int i = 0; i < 9; i++)
        {
            sb.append((mode & (1 << (8 - i))) != 0 ? rwx.charAt(i) : '-');
        }
        return PosixFilePermissions.fromString(sb.toString());
    }

    private static void bind(final AFUNIXServerSocketChannel ch, final AFUNIXSocketAddress address, final String url)
        throws IOException
    {
        try
        {
            ch.bind(address, BACKLOG);
        }
        catch (final SocketException e)
        {
            if (String.valueOf(e.getMessage()).contains("in use"))
            {
                throw new AddressInUseException("address in use: " + url, e);
            }
            throw e;
        }
    }

    /**
     * Binds inside a fresh private (0700) directory, sets the socket's mode, then links it into
     * place: other users cannot reach the socket before it has its final mode. The private
     * directory ({@code .spXXXXXXXX/s} beside the target) stays while the listener lives
     * (junixsocket closes a listener whose bound path disappears) and is removed on close.
     *
     * @return the private directory, to remove on close
     */
    private static Path bindWithPermissions(final AFUNIXServerSocketChannel ch, final Path path, final Path parent,
        final Set<PosixFilePermission> perms, final String url) throws IOException
    {
        Path dir = null;
        for (int i = 0; i < 10 && dir == null; i++)
        {
            final Path d = parent.resolve(".sp" + String.format("%08x", ThreadLocalRandom.current().nextInt()));
            try
            {
                dir = Files.createDirectory(d, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
            }
            catch (final java.nio.file.FileAlreadyExistsException e)
            {
                // try another name
            }
        }
        if (dir == null)
        {
            throw new IOException("cannot create a private directory in " + parent);
        }
        final Path tmp = dir.resolve("s");
        boolean ok = false;
        try
        {
            if (tmp.toAbsolutePath().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length
                > UnixAddress.MAX_PATH_BYTES)
            {
                throw new InvalidAddressException("invalid address '" + url + "': with " + PERMISSIONS
                    + " the socket is bound first at " + tmp.toAbsolutePath() + ", which is over "
                    + UnixAddress.MAX_PATH_BYTES + " bytes; use a shorter path");
            }
            bind(ch, AFUNIXSocketAddress.of(tmp), url);
            Files.setPosixFilePermissions(tmp, perms);
            Files.createLink(path, tmp);
            ok = true;
            return dir;
        }
        finally
        {
            if (!ok)
            {
                Files.deleteIfExists(tmp);
                Files.deleteIfExists(dir);
            }
        }
    }

    /** If a socket file nobody accepts on sits at {@code path}, removes it; a live one is an error. */
    private static void removeIfStale(final Path path, final String url) throws IOException
    {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS))
        {
            return;
        }
        final int mode = (Integer)Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        if ((mode & S_IFMT) != S_IFSOCK)
        {
            throw new AddressInUseException("address in use: " + url + " (" + path
                + " exists and is not a socket; spbus will not remove it)", null);
        }
        try (AFUNIXSocketChannel probe = AFUNIXSocketChannel.open())
        {
            probe.connect(AFUNIXSocketAddress.of(path));
            throw new AddressInUseException("address in use: " + url + " (another listener accepts there)", null);
        }
        catch (final SocketException e)
        {
            final String m = String.valueOf(e.getMessage());
            if (m.contains("refused") || m.contains("No such file"))
            {
                Files.deleteIfExists(path);
                return;
            }
            throw e;
        }
    }

    private static Object fileKey(final Path path) throws IOException
    {
        return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
    }

    private static void removeIfOurs(final Path path, final Object fileKey)
    {
        try
        {
            if (fileKey != null && Objects.equals(fileKey(path), fileKey))
            {
                Files.deleteIfExists(path);
            }
        }
        catch (final IOException e)
        {
            // Gone already, or replaced by someone else: leave it.
        }
    }

    private static String format(final SocketAddress address)
    {
        if (address instanceof AFUNIXSocketAddress)
        {
            final AFUNIXSocketAddress a = (AFUNIXSocketAddress)address;
            if (a.isInAbstractNamespace())
            {
                final byte[] b = a.getPathAsBytes();
                return "abstract://" + new String(b, 1, b.length - 1, java.nio.charset.StandardCharsets.UTF_8);
            }
            return a.hasFilename() ? "ipc://" + a.getPath() : "ipc://";
        }
        return String.valueOf(address);
    }

    private static Map<String, Object> credentials(final SocketChannel ch)
    {
        try
        {
            final AFUNIXSocketCredentials c = ((AFUNIXSocketChannel)ch).getPeerCredentials();
            if (c == null)
            {
                return Map.of();
            }
            return Map.of("peer.uid", c.getUid(), "peer.gid", c.getGid(), "peer.pid", c.getPid());
        }
        catch (final IOException | RuntimeException e)
        {
            return Map.of();
        }
    }

    private static void close(final AFUNIXServerSocketChannel ch)
    {
        if (ch != null)
        {
            try
            {
                ch.close();
            }
            catch (final IOException e)
            {
                // nothing more to do
            }
        }
    }
}
