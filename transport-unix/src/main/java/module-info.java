/**
 * The Unix domain socket transport: {@code ipc://PATH} and {@code unix://PATH} (NNG's IPC
 * mapping) and {@code abstract://NAME} (the Linux abstract namespace), with peer credentials,
 * socket-file permissions and a uid allow-list. Built on junixsocket.
 */
module org.spbus.transport.unix {
    requires org.spbus.api;
    requires org.newsclub.net.unix;
    // junixsocket finds its native library in this module by reflection: make sure it is resolved.
    requires com.kohlschutter.junixsocket.nativecommon;

    provides org.spbus.spi.Transport with org.spbus.transport.unix.UnixTransport;
}
