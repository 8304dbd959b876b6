package org.spbus.cli;

import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Set;

import org.spbus.AddressInUseException;
import org.spbus.BusClosedException;
import org.spbus.BusTimeoutException;
import org.spbus.ConnectionRefusedException;
import org.spbus.InvalidAddressException;
import org.spbus.ProtocolException;
import org.spbus.UnknownSchemeException;

/**
 * The texts nngcat prints that come from NNG itself: URLs as NNG normalises them (for the
 * {@code -v} lines) and {@code nng_strerror()} messages (for the {@code Unable to ...} errors),
 * derived from spbus's exceptions. Stateless and thread-safe.
 */
final class NngText
{
    /** Schemes whose address is a path or a name, which NNG keeps as given apart from the scheme. */
    private static final Set<String> PATH_SCHEMES = Set.of("inproc", "ipc", "unix", "abstract", "zt");

    private NngText()
    {
    }

    /**
     * Returns whether NNG's URL parser accepts {@code url} at all: it needs a non-empty scheme
     * followed by {@code ://}. nngcat reports anything else as
     * {@code Unable to create dialer for URL: Invalid argument}.
     *
     * @param url the URL as given
     * @return {@code true} if it has the form {@code scheme://...}
     */
    static boolean looksLikeUrl(final String url)
    {
        return url.indexOf("://") > 0;
    }

    /**
     * Normalises a URL as NNG does for {@code NNG_OPT_URL}: the scheme lowercased; for
     * host-based schemes (tcp, tls, ws...) the host lowercased and a {@code *} host made empty.
     * {@code tcp://*:5555} becomes {@code tcp://:5555}, {@code TCP://LocalHost:5555}
     * becomes {@code tcp://localhost:5555}; {@code inproc://Foo} is unchanged.
     *
     * @param url a URL accepted by {@link #looksLikeUrl(String)}
     * @return the normalised URL
     */
    static String normalize(final String url)
    {
        return normalize(url, -1);
    }

    /**
     * Returns the URL a listener reports: {@link #normalize(String)}, with a port of 0 replaced
     * by the port the listener was bound to (taken from the URL spbus reports), as NNG does.
     *
     * @param given the URL as given on the command line
     * @param bound the URL from {@link org.spbus.Listener#url()}
     * @return the URL to print after {@code Listening at: }
     */
    static String listenerUrl(final String given, final String bound)
    {
        return normalize(given, portOf(bound));
    }

    private static String normalize(final String url, final int boundPort)
    {
        final int sep = url.indexOf("://");
        if (sep <= 0)
        {
            return url;
        }
        final String scheme = url.substring(0, sep).toLowerCase(Locale.ROOT);
        final String rest = url.substring(sep + 3);
        if (PATH_SCHEMES.contains(scheme))
        {
            return scheme + "://" + rest;
        }
        final int slash = rest.indexOf('/');
        final String authority = slash < 0 ? rest : rest.substring(0, slash);
        final String path = slash < 0 ? "" : rest.substring(slash);
        String host;
        String port;
        final int close = authority.lastIndexOf(']');
        final int colon = authority.lastIndexOf(':');
        if (colon > close)
        {
            host = authority.substring(0, colon);
            port = authority.substring(colon + 1);
        }
        else
        {
            host = authority;
            port = null;
        }
        host = host.toLowerCase(Locale.ROOT);
        if (host.equals("*"))
        {
            host = "";
        }
        if (port != null && boundPort > 0 && isZero(port))
        {
            port = Integer.toString(boundPort);
        }
        return scheme + "://" + host + (port == null ? "" : ":" + port) + path;
    }

    private static boolean isZero(final String port)
    {
        if (port.isEmpty())
        {
            return false;
        }
        for (int i = 0; i < port.length(); i++)
        {
            if (port.charAt(i) != '0')
            {
                return false;
            }
        }
        return true;
    }

    /**
     * Returns the port of a {@code scheme://host:port[/path]} URL.
     *
     * @param url the URL, or {@code null}
     * @return the port, or -1 if there is none
     */
    static int portOf(final String url)
    {
        if (url == null)
        {
            return -1;
        }
        final int sep = url.indexOf("://");
        String rest = sep < 0 ? url : url.substring(sep + 3);
        final int slash = rest.indexOf('/');
        if (slash >= 0)
        {
            rest = rest.substring(0, slash);
        }
        final int colon = rest.lastIndexOf(':');
        if (colon < 0 || colon < rest.lastIndexOf(']'))
        {
            return -1;
        }
        try
        {
            return Integer.parseInt(rest.substring(colon + 1));
        }
        catch (final NumberFormatException e)
        {
            return -1;
        }
    }

    /**
     * Says whether a failure of {@code listen}/{@code dial} is one NNG reports when the
     * listener or dialer is created ({@code Unable to create listener for URL: ...}) rather
     * than when it is started ({@code Unable to listen on URL: ...}). NNG parses the URL and
     * checks it against the transport at creation; a TCP listener also resolves its host then,
     * a dialer only when it connects.
     *
     * @param e        what spbus threw
     * @param listener {@code true} for a listener
     * @return {@code true} for a creation error
     */
    static boolean isCreateError(final RuntimeException e, final boolean listener)
    {
        if (e instanceof InvalidAddressException)
        {
            return true;
        }
        return listener && hasCause(e, UnknownHostException.class);
    }

    /**
     * Maps an exception from spbus to the {@code nng_strerror()} text NNG gives for the same
     * failure: {@code Connection refused}, {@code Address in use}, {@code Address invalid},
     * {@code Not supported}, {@code Protocol error}... An I/O error with no NNG equivalent
     * gives its own message.
     *
     * @param e the exception
     * @return the text to print after {@code URL: }
     */
    static String strerror(final Throwable e)
    {
        if (e instanceof UnknownSchemeException)
        {
            return "Not supported";
        }
        if (e instanceof InvalidAddressException)
        {
            return "Address invalid";
        }
        if (e instanceof ConnectionRefusedException)
        {
            return "Connection refused";
        }
        if (e instanceof AddressInUseException)
        {
            return "Address in use";
        }
        if (e instanceof ProtocolException)
        {
            return "Protocol error";
        }
        if (e instanceof BusClosedException)
        {
            return "Object closed";
        }
        if (e instanceof BusTimeoutException)
        {
            return "Timed out";
        }
        if (hasCause(e, UnknownHostException.class))
        {
            return "Address invalid";
        }
        if (hasCause(e, NoRouteToHostException.class))
        {
            return "Destination unreachable";
        }
        final String all = messages(e);
        if (all.contains("Cannot assign requested address"))
        {
            return "Address invalid";
        }
        if (all.contains("Permission denied"))
        {
            return "Permission denied";
        }
        if (all.contains("Network is unreachable") || all.contains("No route to host"))
        {
            return "Destination unreachable";
        }
        if (all.contains("timed out"))
        {
            return "Timed out";
        }
        if (all.contains("Connection reset"))
        {
            return "Connection reset";
        }
        final String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m;
    }

    private static boolean hasCause(final Throwable e, final Class<? extends Throwable> type)
    {
        for (Throwable t = e; t != null; t = t.getCause())
        {
            if (type.isInstance(t))
            {
                return true;
            }
            if (t.getCause() == t)
            {
                break;
            }
        }
        return false;
    }

    private static String messages(final Throwable e)
    {
        final StringBuilder sb = new StringBuilder();
        int depth = 0;
        for (Throwable t = e; t != null && depth < 10; t = t.getCause(), depth++)
        {
            sb.append(t.getMessage()).append('\n');
        }
        return sb.toString();
    }
}
