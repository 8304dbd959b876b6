package org.spbus;

/**
 * A snapshot of one pipe's counters, from {@link Pipe#stats()}. Immutable and thread-safe;
 * each value is read once, so values that other threads update meanwhile may be a few
 * messages apart. For a pipe, at any quiescent moment {@code messagesQueued = messagesWritten +
 * droppedPipeClosed + pending}; every send that found the pipe attached adds one to either
 * {@code messagesQueued} or {@code droppedSendQueueFull}.
 *
 * @param messagesQueued       copies of sent messages placed on this pipe's send queue, messages
 * @param messagesWritten      copies handed whole to the transport, messages
 * @param bytesWritten         body bytes of {@code messagesWritten}, bytes
 * @param droppedSendQueueFull copies dropped because this pipe's send queue was full, messages
 * @param droppedPipeClosed    copies queued but lost because the pipe closed, messages
 * @param pending              copies queued and not yet written, messages (a gauge)
 * @param messagesReceived     messages received from the peer on this pipe, messages
 * @param bytesReceived        body bytes of {@code messagesReceived}, bytes
 */
public record PipeStats(long messagesQueued, long messagesWritten, long bytesWritten, long droppedSendQueueFull,
    long droppedPipeClosed, long pending, long messagesReceived, long bytesReceived)
{
}
