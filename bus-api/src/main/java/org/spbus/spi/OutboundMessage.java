package org.spbus.spi;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * One sent message, encoded once and shared by every pipe it goes to: the body bytes and a
 * count of the pipes still holding it. Each pipe calls {@link #release()} once when it has
 * written or discarded the message. The body must not be changed by anyone but its owner
 * before {@link #prepare(int, int)}.
 *
 * <p>An engine may pool messages: a message made with a {@link Recycler} is handed back to it
 * when the last holder releases it, and reused with {@link #prepare(int, int)}. A transport
 * must therefore not touch a message after releasing it.
 *
 * <p>Thread-safe: {@link #release()} may be called from any thread.
 */
public final class OutboundMessage
{
    private static final VarHandle REFS;

    static
    {
        try
        {
            REFS = MethodHandles.lookup().findVarHandle(OutboundMessage.class, "refs", int.class);
        }
        catch (final ReflectiveOperationException e)
        {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Recycler recycler;
    private byte[] body;
    private int length;
    @SuppressWarnings("unused") // accessed through REFS
    private volatile int refs;

    /**
     * Wraps a body, not pooled.
     *
     * @param body   the bytes, {@code body[0 .. length)}; not copied, never changed afterwards
     * @param length the body length in bytes
     * @param refs   how many pipes will release it, 1 or more
     * @throws IllegalArgumentException if {@code length} exceeds the array or {@code refs} &lt; 1
     */
    public OutboundMessage(final byte[] body, final int length, final int refs)
    {
        if (length < 0 || length > body.length || refs < 1)
        {
            throw new IllegalArgumentException("length " + length + " of " + body.length + ", refs " + refs);
        }
        this.recycler = null;
        this.body = body;
        this.length = length;
        REFS.setRelease(this, refs);
    }

    /**
     * Creates a pooled message with no holder yet; fill it with {@link #prepare(int, int)}.
     *
     * @param capacity the initial buffer size in bytes
     * @param recycler told when the last holder releases the message
     * @throws NullPointerException if {@code recycler} is {@code null}
     */
    public OutboundMessage(final int capacity, final Recycler recycler)
    {
        this.recycler = java.util.Objects.requireNonNull(recycler, "recycler");
        this.body = new byte[capacity];
    }

    /**
     * Readies a pooled message for its next use (by its owner only, while nobody holds it):
     * sets the length and the number of holders, and returns the buffer to fill.
     *
     * @param length the body length in bytes
     * @param refs   how many pipes will release it, 1 or more
     * @return the array to write the body into, {@code [0, length)}
     * @throws IllegalArgumentException if {@code refs} &lt; 1 or {@code length} &lt; 0
     */
    public byte[] prepare(final int length, final int refs)
    {
        if (length < 0 || refs < 1)
        {
            throw new IllegalArgumentException("length " + length + ", refs " + refs);
        }
        if (body == null || body.length < length)
        {
            body = new byte[length];
        }
        this.length = length;
        REFS.setRelease(this, refs);
        return body;
    }

    /**
     * Returns the array holding the body, {@code [0, length())}. Read only.
     *
     * @return the array
     */
    public byte[] array()
    {
        return body;
    }

    /**
     * Returns the body length.
     *
     * @return bytes
     */
    public int length()
    {
        return length;
    }

    /**
     * Returns how many holders have not released the message yet (for checks and tests).
     *
     * @return the count, 0 once every holder has released it
     */
    public int holders()
    {
        return (int)REFS.getAcquire(this);
    }

    /**
     * Returns the body as an array of exactly {@link #length()} bytes that the caller may keep:
     * the message's own array when this is the only holder and the array has that length (the
     * array is then detached from a pooled message), otherwise a copy. Call before
     * {@link #release()}.
     *
     * @return bytes the caller may keep
     */
    public byte[] takeBody()
    {
        final byte[] b = body;
        if ((int)REFS.getAcquire(this) == 1 && b.length == length)
        {
            if (recycler != null)
            {
                body = null;
            }
            return b;
        }
        return Arrays.copyOf(b, length);
    }

    /**
     * Drops one holder. Call once per pipe; the last call recycles a pooled message.
     */
    public void release()
    {
        if ((int)REFS.getAndAdd(this, -1) == 1 && recycler != null)
        {
            recycler.recycle(this);
        }
    }

    /**
     * Takes back pooled messages once nobody holds them.
     */
    @FunctionalInterface
    public interface Recycler
    {
        /**
         * Takes back a message whose last holder released it.
         *
         * @param message the message, free for {@link OutboundMessage#prepare(int, int)}
         */
        void recycle(OutboundMessage message);
    }
}
