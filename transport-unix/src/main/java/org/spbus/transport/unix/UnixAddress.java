package org.spbus.transport.unix;

import java.io.ByteArrayOutputStream;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;

import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.spbus.InvalidAddressException;

/**
 * A parsed Unix socket URL (sp-wire-protocol.md sections 4.3 and 4.4):
 * <ul>
 *   <li>{@code ipc:///abs/path} or {@code ipc://relative/path} (relative to the working
 *       directory), and NNG's alias {@code unix://}; the path may be at most
 *       {@value #MAX_PATH_BYTES} bytes, the size of Linux's {@code sun_path} less its NUL;</li>
 *   <li>{@code abstract://name}: the Linux abstract namespace, the name URI-decoded
 *       ({@code %00} is an embedded NUL), at most {@value #MAX_ABSTRACT_BYTES} bytes.</li>
 * </ul>
 */
final class UnixAddress
{
    /** Longest socket path on Linux: sun_path is 108 bytes with the terminating NUL (NNG: 107 works, 108 is EADDRINVAL). */
    static final int MAX_PATH_BYTES = 107;
    /** Longest abstract name: sun_path less the leading NUL. */
    static final int MAX_ABSTRACT_BYTES = 107;

    final String scheme;
    final String text;
    final Path path;
    final byte[] abstractName;

    private UnixAddress(final String scheme, final String text, final Path path, final byte[] abstractName)
    {
        this.scheme = scheme;
        this.text = text;
        this.path = path;
        this.abstractName = abstractName;
    }

    boolean isAbstract()
    {
        return abstractName != null;
    }

    static UnixAddress parse(final String url)
    {
        final int sep = url.indexOf("://");
        if (sep <= 0)
        {
            throw bad(url, "expected ipc://PATH or abstract://NAME");
        }
        final String scheme = url.substring(0, sep).toLowerCase(Locale.ROOT);
        final String rest = url.substring(sep + 3);
        if (rest.isEmpty())
        {
            throw bad(url, scheme.equals("abstract") ? "a name is required (auto-bind is not supported)" : "a path is required");
        }
        if (scheme.equals("abstract"))
        {
            final byte[] name = decode(url, rest);
            if (name.length > MAX_ABSTRACT_BYTES)
            {
                throw bad(url, "abstract name is " + name.length + " bytes; the limit is " + MAX_ABSTRACT_BYTES + " bytes");
            }
            return new UnixAddress(scheme, rest, null, name);
        }
        if (!scheme.equals("ipc") && !scheme.equals("unix"))
        {
            throw bad(url, "not a Unix socket URL");
        }
        final int bytes = rest.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_PATH_BYTES)
        {
            throw bad(url, "socket path is " + bytes + " bytes; Unix socket paths are limited to " + MAX_PATH_BYTES
                + " bytes (sun_path, 108 with the terminating NUL)");
        }
        if (rest.indexOf('\0') >= 0)
        {
            throw bad(url, "a socket path cannot contain NUL");
        }
        return new UnixAddress(scheme, rest, Path.of(rest), null);
    }

    AFUNIXSocketAddress socketAddress() throws SocketException
    {
        if (isAbstract())
        {
            final byte[] b = new byte[abstractName.length + 1];
            System.arraycopy(abstractName, 0, b, 1, abstractName.length);
            return AFUNIXSocketAddress.of(b);
        }
        return AFUNIXSocketAddress.of(path);
    }

    String url()
    {
        return scheme + "://" + text;
    }

    private static byte[] decode(final String url, final String s)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final byte[] raw = s.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < raw.length; i++)
        {
            if (raw[i] == '%')
            {
                if (i + 2 >= raw.length)
                {
                    throw bad(url, "truncated %-escape");
                }
                final int hi = Character.digit(raw[i + 1], 16);
                final int lo = Character.digit(raw[i + 2], 16);
                if (hi < 0 || lo < 0)
                {
                    throw bad(url, "bad %-escape");
                }
                out.write(hi << 4 | lo);
                i += 2;
            }
            else
            {
                out.write(raw[i]);
            }
        }
        return out.toByteArray();
    }

    private static InvalidAddressException bad(final String url, final String why)
    {
        return new InvalidAddressException("invalid address '" + url + "': " + why);
    }
}
