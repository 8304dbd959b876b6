package org.spbus;

import java.util.Set;

/**
 * No installed transport handles the URL's scheme. The message names the schemes that are
 * installed, so that a missing transport module on the module path is easy to spot.
 */
public class UnknownSchemeException extends InvalidAddressException
{
    private static final long serialVersionUID = 1L;

    /** The schemes installed when the exception was thrown; unmodifiable. */
    private final Set<String> installed;

    /**
     * Creates the exception.
     *
     * @param url       the URL that was refused
     * @param installed the URL schemes of the installed transports
     */
    public UnknownSchemeException(final String url, final Set<String> installed)
    {
        super("no transport for URL '" + url + "'; installed schemes: " + new java.util.TreeSet<>(installed)
            + " (put the transport module on the module path or class path)");
        this.installed = Set.copyOf(installed);
    }

    /**
     * Returns the URL schemes that were installed when the exception was thrown.
     *
     * @return an unmodifiable set of schemes such as {@code tcp} or {@code inproc}
     */
    public Set<String> installedSchemes()
    {
        return installed;
    }
}
