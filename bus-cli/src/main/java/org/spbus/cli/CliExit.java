package org.spbus.cli;

import java.util.Arrays;

/**
 * Ends a CLI run with an exit code, an optional line for stderr and optional bytes for stdout:
 * nngcat's {@code fatal()} (message on stderr, exit code 1), {@code --help} (text on stdout,
 * exit code 1) and {@code --version} (stdout, exit code 0). Thrown anywhere in the parser or
 * the session and caught by {@link Main#run}, which prints it and returns the code, so that
 * no part of the CLI calls {@link System#exit(int)} and the whole CLI can run in-process.
 *
 * <p>Immutable; carries no stack trace (it is control flow, not a failure of spbus).
 */
final class CliExit extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /** The exit code of the process. */
    private final int code;
    /** A line for stderr without its newline, or {@code null}. */
    private final String stderrLine;
    /** Bytes for stdout, possibly empty. */
    private final byte[] stdout;

    private CliExit(final int code, final String stderrLine, final byte[] stdout)
    {
        super(stderrLine, null, false, false);
        this.code = code;
        this.stderrLine = stderrLine;
        this.stdout = stdout;
    }

    /**
     * nngcat's {@code fatal()}: the message and a newline on stderr, exit code 1.
     *
     * @param message the text, without a trailing newline
     * @return the exception to throw
     */
    static CliExit fatal(final String message)
    {
        return new CliExit(1, message, new byte[0]);
    }

    /**
     * Output on stdout and an exit code, nothing on stderr.
     *
     * @param code   the exit code
     * @param stdout the bytes to write to stdout
     * @return the exception to throw
     */
    static CliExit stdout(final int code, final byte[] stdout)
    {
        return new CliExit(code, null, stdout.clone());
    }

    /**
     * An exit with no output at all.
     *
     * @param code the exit code
     * @return the exception to throw
     */
    static CliExit silent(final int code)
    {
        return new CliExit(code, null, new byte[0]);
    }

    /**
     * Returns the exit code.
     *
     * @return the process exit code
     */
    int code()
    {
        return code;
    }

    /**
     * Returns the line for stderr.
     *
     * @return the line without its newline, or {@code null} for none
     */
    String stderrLine()
    {
        return stderrLine;
    }

    /**
     * Returns the bytes for stdout.
     *
     * @return a copy, possibly empty
     */
    byte[] stdoutBytes()
    {
        return Arrays.copyOf(stdout, stdout.length);
    }
}
