package org.spbus.tck;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.opentest4j.AssertionFailedError;

/**
 * Waits for a condition with a deadline, the TCK's only way to wait: no test sleeps for a fixed
 * time to let something happen. The condition is polled, first by yielding, then by parking for
 * up to a millisecond between polls; it is evaluated on the calling thread.
 *
 * <p>The default deadline is {@link #timeout()}: 10 seconds, or the value of the system property
 * {@value #TIMEOUT_PROPERTY} in milliseconds (raise it on a very slow machine). A condition that
 * is still false at the deadline fails the test with the rule message given, so the report says
 * which rule was broken.
 */
public final class Await
{
    /** The system property that sets the default deadline, in milliseconds. */
    public static final String TIMEOUT_PROPERTY = "spbus.tck.timeoutMs";

    private static final long MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private Await()
    {
    }

    /**
     * Returns the default deadline for one wait.
     *
     * @return {@value #TIMEOUT_PROPERTY} milliseconds, 10 seconds if unset or unreadable
     */
    public static Duration timeout()
    {
        final String p = System.getProperty(TIMEOUT_PROPERTY);
        if (p != null)
        {
            try
            {
                return Duration.ofMillis(Math.max(1, Long.parseLong(p.trim())));
            }
            catch (final NumberFormatException e)
            {
                // fall through to the default
            }
        }
        return Duration.ofSeconds(10);
    }

    /**
     * Waits until {@code condition} is true, at most {@link #timeout()}.
     *
     * @param condition   polled until true; must not block
     * @param ruleMessage the rule broken if it never becomes true, for example
     *                    {@code "BU-2 broadcast: peer 3 never received the message"}
     * @throws AssertionFailedError if the deadline passes first
     */
    public static void until(final BooleanSupplier condition, final String ruleMessage)
    {
        until(condition, timeout(), ruleMessage);
    }

    /**
     * Waits until {@code condition} is true, at most {@code timeout}.
     *
     * @param condition   polled until true; must not block
     * @param timeout     the deadline, from now
     * @param ruleMessage the rule broken if it never becomes true
     * @throws AssertionFailedError if the deadline passes first
     */
    public static void until(final BooleanSupplier condition, final Duration timeout, final String ruleMessage)
    {
        until(condition, timeout, () -> ruleMessage);
    }

    /**
     * Waits until {@code condition} is true, at most {@code timeout}; the message is built only
     * on failure, so it can show the state at the deadline (counters, thread names).
     *
     * @param condition   polled until true; must not block
     * @param timeout     the deadline, from now
     * @param ruleMessage builds the failure message: the rule broken and what was seen
     * @throws AssertionFailedError if the deadline passes first
     */
    public static void until(final BooleanSupplier condition, final Duration timeout, final Supplier<String> ruleMessage)
    {
        Objects.requireNonNull(condition, "condition");
        Objects.requireNonNull(ruleMessage, "ruleMessage");
        final long start = System.nanoTime();
        final long deadline = start + timeout.toNanos();
        int polls = 0;
        while (!condition.getAsBoolean())
        {
            final long now = System.nanoTime();
            if (now - deadline >= 0)
            {
                throw new AssertionFailedError(ruleMessage.get() + " (still not so after "
                    + TimeUnit.NANOSECONDS.toMillis(now - start) + " ms)");
            }
            if (Thread.interrupted())
            {
                Thread.currentThread().interrupt();
                throw new AssertionFailedError(ruleMessage.get() + " (interrupted while waiting)");
            }
            polls++;
            if (polls < 50)
            {
                Thread.yield();
            }
            else
            {
                LockSupport.parkNanos(Math.min(MAX_PARK_NANOS, Math.max(1, deadline - now)));
            }
        }
    }
}
