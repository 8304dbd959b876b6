package org.spbus;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A received message: its body and the id of the pipe it arrived on.
 *
 * <p>Immutable apart from the body array, which belongs to the receiver: spbus never reads
 * or writes it after handing it over. Pipe ids are 31-bit, non-zero and unique within the
 * JVM while the pipe lives (as NNG's).
 */
public final class Message
{
    private final byte[] body;
    private final int pipeId;

    /**
     * Creates a message.
     *
     * @param body   the body; not copied
     * @param pipeId the id of the pipe it came from, or 0 if it did not come from a pipe
     * @throws NullPointerException if {@code body} is {@code null}
     */
    public Message(final byte[] body, final int pipeId)
    {
        this.body = Objects.requireNonNull(body, "body");
        this.pipeId = pipeId;
    }

    /**
     * Returns the body. The array is the receiver's to keep or change.
     *
     * @return the body bytes, never {@code null}, possibly empty
     */
    public byte[] body()
    {
        return body;
    }

    /**
     * Returns the id of the pipe the message arrived on.
     *
     * @return a pipe id (1 to 2<sup>31</sup>-1), or 0 if unknown
     */
    public int pipeId()
    {
        return pipeId;
    }

    /**
     * Returns the body decoded as UTF-8, for logs and examples.
     *
     * @return the body as text
     */
    public String text()
    {
        return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public String toString()
    {
        return "Message[pipe=" + pipeId + ", " + body.length + " bytes]";
    }
}
