package org.spbus.transport.tcp.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * A hand-written SP-over-TCP peer on a plain {@link Socket}, to play well-behaved or hostile
 * peers byte by byte. TCP framing: the 8-byte header {@code 00 53 50 00 | id | 00 00} both
 * ways, then frames of a u64 big-endian length and the payload.
 */
final class RawPeer implements AutoCloseable
{
    /** The header of a BUS socket: protocol id 0x0070. */
    static final byte[] BUS_HEADER = {0, 'S', 'P', 0, 0, 0x70, 0, 0};

    final Socket socket;
    final long connectedAtNanos;
    private final InputStream in;
    private final OutputStream out;

    private RawPeer(final Socket socket) throws IOException
    {
        this.socket = socket;
        this.connectedAtNanos = System.nanoTime();
        socket.setTcpNoDelay(true);
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /** Connects to the {@code tcp://127.0.0.1:PORT} URL of a listener. */
    static RawPeer connect(final String url) throws IOException
    {
        return connect(url, 0);
    }

    /** Connects with a given socket receive buffer size ({@code SO_RCVBUF}; 0 = the default). */
    static RawPeer connect(final String url, final int receiveBuffer) throws IOException
    {
        final Socket s = new Socket();
        if (receiveBuffer > 0)
        {
            s.setReceiveBufferSize(receiveBuffer);
        }
        s.connect(new InetSocketAddress("127.0.0.1", Tools.portOf(url)), 5000);
        return new RawPeer(s);
    }

    /** Wraps an accepted socket (the raw peer is the listener). */
    static RawPeer accepted(final Socket s) throws IOException
    {
        return new RawPeer(s);
    }

    /** Returns an SP header with the given protocol id, version and reserved bytes. */
    static byte[] header(final int protocolId, final int version, final int reserved)
    {
        return new byte[] {0, 'S', 'P', (byte)version, (byte)(protocolId >>> 8), (byte)protocolId,
            (byte)(reserved >>> 8), (byte)reserved};
    }

    /** Returns a TCP frame: u64 BE length, then the payload. */
    static byte[] frame(final byte[] payload)
    {
        return ByteBuffer.allocate(8 + payload.length).putLong(payload.length).put(payload).array();
    }

    /** Returns only the 8 length bytes of a frame. */
    static byte[] lengthOnly(final long length)
    {
        return ByteBuffer.allocate(8).putLong(length).array();
    }

    /** Concatenates byte arrays, to put several things in one write. */
    static byte[] concat(final byte[]... parts)
    {
        final ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (final byte[] p : parts)
        {
            b.writeBytes(p);
        }
        return b.toByteArray();
    }

    /** Writes {@code bytes} in a single write call (one segment on loopback with TCP_NODELAY). */
    void write(final byte[] bytes) throws IOException
    {
        out.write(bytes);
        out.flush();
    }

    /** Reads exactly {@code n} bytes within {@code timeout}. */
    byte[] read(final int n, final Duration timeout) throws IOException
    {
        final byte[] b = new byte[n];
        final long end = System.nanoTime() + timeout.toNanos();
        int fill = 0;
        while (fill < n)
        {
            socket.setSoTimeout(remainingMillis(end));
            final int k = in.read(b, fill, n - fill);
            if (k < 0)
            {
                throw new EOFException("end of stream after " + fill + " of " + n + " bytes");
            }
            fill += k;
        }
        return b;
    }

    /** Reads the peer's 8-byte header and checks it is the BUS header. */
    void expectBusHeader() throws IOException
    {
        assertArrayEquals(BUS_HEADER, read(8, Tools.WAIT), "spbus must send 00 53 50 00 00 70 00 00");
    }

    /** Reads one frame's payload. */
    byte[] readFrame(final Duration timeout) throws IOException
    {
        final long len = ByteBuffer.wrap(read(8, timeout)).getLong();
        if (len < 0 || len > 64 * 1024 * 1024)
        {
            fail("unexpected frame length " + Long.toUnsignedString(len));
        }
        return read((int)len, timeout);
    }

    /**
     * Waits until spbus closes this connection (end of stream, or a reset), discarding any
     * bytes that arrive first; fails if it is still open after {@code timeout}.
     *
     * @return the time from {@link #connectedAtNanos} to the close
     */
    Duration awaitClosedByPeer(final Duration timeout) throws IOException
    {
        final long end = System.nanoTime() + timeout.toNanos();
        final byte[] buf = new byte[65536];
        try
        {
            while (true)
            {
                socket.setSoTimeout(remainingMillis(end));
                if (in.read(buf) < 0)
                {
                    break;
                }
            }
        }
        catch (final SocketTimeoutException e)
        {
            fail("spbus did not close the connection within " + timeout.toMillis() + " ms");
        }
        catch (final SocketException e)
        {
            // Connection reset by spbus: closed as well.
        }
        return Duration.ofNanos(System.nanoTime() - connectedAtNanos);
    }

    /** The time left until {@code end}, at least 1 ms (0 would mean "no timeout" to a socket). */
    private static int remainingMillis(final long end)
    {
        final long ms = (end - System.nanoTime()) / 1_000_000;
        return (int)Math.max(1, Math.min(Integer.MAX_VALUE, ms));
    }

    @Override
    public void close() throws IOException
    {
        socket.close();
    }
}
