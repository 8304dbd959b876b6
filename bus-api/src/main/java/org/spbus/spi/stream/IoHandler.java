package org.spbus.spi.stream;

import java.nio.channels.SelectionKey;

/** Something registered with an {@link IoLoop}'s selector. Called on the loop thread only. */
interface IoHandler
{
    /**
     * The key is ready.
     *
     * @param key the selected key
     */
    void ready(SelectionKey key);
}
