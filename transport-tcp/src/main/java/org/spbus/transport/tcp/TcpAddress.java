package org.spbus.transport.tcp;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Locale;

import org.spbus.InvalidAddressException;

/**
 * A parsed {@code tcp://HOST:PORT} URL. The grammar is NNG's (sp-wire-protocol.md section 4.2):
 * HOST is an IPv4 literal, a DNS name, an IPv6 literal in brackets, or, for a listener only,
 * {@code *} or empty (all interfaces); PORT is 0 to 65535, 0 only for a listener (an
 * ephemeral port). A path other than {@code /}, a query, a fragment or user info is refused
 * (NNG: EADDRINVAL). {@code tcp4://} and {@code tcp6://} restrict the address family.
 */
final class TcpAddress
{
    final String scheme;
    final String host;
    final int port;
    final boolean wildcard;
    final boolean ipv6Literal;

    private TcpAddress(final String scheme, final String host, final int port, final boolean wildcard,
        final boolean ipv6Literal)
    {
        this.scheme = scheme;
        this.host = host;
        this.port = port;
        this.wildcard = wildcard;
        this.ipv6Literal = ipv6Literal;
    }

    static TcpAddress parse(final String url, final boolean forListen)
    {
        final int sep = url.indexOf("://");
        if (sep <= 0)
        {
            throw bad(url, "expected tcp://HOST:PORT");
        }
        final String scheme = url.substring(0, sep).toLowerCase(Locale.ROOT);
        if (!scheme.equals("tcp") && !scheme.equals("tcp4") && !scheme.equals("tcp6"))
        {
            throw bad(url, "not a tcp URL");
        }
        String rest = url.substring(sep + 3);
        if (rest.indexOf('?') >= 0 || rest.indexOf('#') >= 0)
        {
            throw bad(url, "a query or fragment is not allowed");
        }
        final int slash = rest.indexOf('/');
        if (slash >= 0)
        {
            if (slash != rest.length() - 1)
            {
                throw bad(url, "a path is not allowed");
            }
            rest = rest.substring(0, slash);
        }
        if (rest.indexOf('@') >= 0)
        {
            throw bad(url, "user info is not allowed");
        }
        if (rest.indexOf(';') >= 0)
        {
            throw bad(url, "a local source address (SRC;HOST:PORT) is not supported");
        }
        final String host;
        final String portText;
        boolean v6 = false;
        if (rest.startsWith("["))
        {
            final int close = rest.indexOf(']');
            if (close < 0 || close + 1 >= rest.length() || rest.charAt(close + 1) != ':')
            {
                throw bad(url, "expected [IPv6]:PORT");
            }
            host = rest.substring(1, close);
            portText = rest.substring(close + 2);
            v6 = true;
            if (host.isEmpty())
            {
                throw bad(url, "empty IPv6 address");
            }
        }
        else
        {
            final int colon = rest.lastIndexOf(':');
            if (colon < 0)
            {
                throw bad(url, "a port is required");
            }
            host = rest.substring(0, colon);
            portText = rest.substring(colon + 1);
            if (host.indexOf(':') >= 0)
            {
                throw bad(url, "an IPv6 address must be in brackets: tcp://[::1]:PORT");
            }
        }
        final int port;
        try
        {
            if (portText.isEmpty() || portText.length() > 5 || !portText.chars().allMatch(Character::isDigit))
            {
                throw new NumberFormatException();
            }
            port = Integer.parseInt(portText);
        }
        catch (final NumberFormatException e)
        {
            throw bad(url, "port '" + portText + "' is not a number from 0 to 65535");
        }
        if (port > 65535)
        {
            throw bad(url, "port " + port + " is over 65535");
        }
        final boolean wildcard = host.isEmpty() || host.equals("*");
        if (!forListen)
        {
            if (wildcard)
            {
                throw bad(url, "a dialer needs a host");
            }
            if (port == 0)
            {
                throw bad(url, "a dialer needs a port other than 0");
            }
        }
        if (v6 && scheme.equals("tcp4"))
        {
            throw bad(url, "tcp4 with an IPv6 address");
        }
        return new TcpAddress(scheme, host, port, wildcard, v6);
    }

    /** Resolves the address to bind or connect to; may do a DNS lookup. */
    InetSocketAddress resolve() throws UnknownHostException
    {
        if (wildcard)
        {
            if (scheme.equals("tcp6"))
            {
                return new InetSocketAddress(InetAddress.getByName("::"), port);
            }
            return new InetSocketAddress(InetAddress.getByName("0.0.0.0"), port);
        }
        final InetAddress[] all = InetAddress.getAllByName(host);
        for (final InetAddress a : all)
        {
            if (scheme.equals("tcp4") && !(a instanceof Inet4Address))
            {
                continue;
            }
            if (scheme.equals("tcp6") && !(a instanceof Inet6Address))
            {
                continue;
            }
            return new InetSocketAddress(a, port);
        }
        throw new UnknownHostException(host + " has no " + (scheme.equals("tcp4") ? "IPv4" : "IPv6") + " address");
    }

    /** The URL for a bound or connected socket address. */
    static String format(final String scheme, final InetSocketAddress a)
    {
        final InetAddress ip = a.getAddress();
        final String h = ip == null ? a.getHostString() : ip.getHostAddress();
        final int pct = h.indexOf('%');
        final String host = pct >= 0 ? h.substring(0, pct) : h;
        return scheme + "://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    private static InvalidAddressException bad(final String url, final String why)
    {
        return new InvalidAddressException("invalid address '" + url + "': " + why);
    }
}
