package org.spbus.engine;

import org.agrona.concurrent.ManyToManyConcurrentArrayQueue;
import org.spbus.spi.OutboundMessage;

/**
 * Pools outbound messages by size class (powers of two from 64 bytes to 64 KiB), so that a
 * send in steady state allocates nothing. Each class holds at most about 1 MiB of buffers; a
 * message released when its class is full, or larger than 64 KiB, is left to the garbage
 * collector. Lock-free; shared by every socket of the JVM.
 */
final class MessagePool
{
    private static final int MIN_SHIFT = 6;
    private static final int MAX_SHIFT = 16;
    private static final int BYTES_PER_CLASS = 1 << 20;

    static final MessagePool SHARED = new MessagePool();

    private final ClassPool[] classes = new ClassPool[MAX_SHIFT - MIN_SHIFT + 1];

    private MessagePool()
    {
        for (int i = 0; i < classes.length; i++)
        {
            final int size = 1 << (MIN_SHIFT + i);
            classes[i] = new ClassPool(size, Math.max(16, Math.min(1024, BYTES_PER_CLASS / size)));
        }
    }

    /**
     * Returns a message ready for {@code refs} holders, with {@code body[offset, offset+length)}
     * copied in.
     */
    OutboundMessage copyOf(final byte[] body, final int offset, final int length, final int refs)
    {
        final OutboundMessage m;
        if (length > 1 << MAX_SHIFT)
        {
            m = new OutboundMessage(new byte[length], length, refs);
        }
        else
        {
            m = classes[classOf(length)].acquire();
            System.arraycopy(body, offset, m.prepare(length, refs), 0, length);
            return m;
        }
        System.arraycopy(body, offset, m.array(), 0, length);
        return m;
    }

    /** Returns a message ready for {@code refs} holders whose body the caller fills. */
    OutboundMessage allocate(final int length, final int refs)
    {
        if (length > 1 << MAX_SHIFT)
        {
            return new OutboundMessage(new byte[length], length, refs);
        }
        final OutboundMessage m = classes[classOf(length)].acquire();
        m.prepare(length, refs);
        return m;
    }

    private static int classOf(final int length)
    {
        final int shift = length <= 1 << MIN_SHIFT ? MIN_SHIFT : 32 - Integer.numberOfLeadingZeros(length - 1);
        return shift - MIN_SHIFT;
    }

    private static final class ClassPool implements OutboundMessage.Recycler
    {
        private final int size;
        private final ManyToManyConcurrentArrayQueue<OutboundMessage> free;

        ClassPool(final int size, final int capacity)
        {
            this.size = size;
            this.free = new ManyToManyConcurrentArrayQueue<>(capacity);
        }

        OutboundMessage acquire()
        {
            final OutboundMessage m = free.poll();
            return m != null ? m : new OutboundMessage(size, this);
        }

        @Override
        public void recycle(final OutboundMessage m)
        {
            free.offer(m);
        }
    }
}
