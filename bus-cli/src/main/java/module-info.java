/**
 * The {@code spbus} command: a drop-in for {@code nngcat --bus0} (same options, output formats,
 * error texts and exit codes; see {@link org.spbus.cli.Main}) and {@code spbus demo}, a
 * full-mesh demonstration. Exports nothing.
 *
 * <p>The socket implementation and the transports are found by {@link java.util.ServiceLoader}
 * through {@link org.spbus.Bus}; the CLI never calls them directly. It requires them all the
 * same, because it ships them: that way they are resolved whenever the CLI runs, without
 * {@code --add-modules}. The launcher script adds {@code --add-modules ALL-MODULE-PATH} as
 * well, so that any further transport module dropped on the module path is found too.
 */
module org.spbus.cli {
    requires org.spbus.api;
    requires info.picocli;
    // The engine logs through System.Logger; the CLI quietens it (see Main) through its backend.
    requires java.logging;

    requires org.spbus.engine;
    requires org.spbus.transport.inproc;
    requires org.spbus.transport.tcp;
    requires org.spbus.transport.unix;

    // picocli reads the @Command/@Option annotations of the demo subcommand reflectively.
    opens org.spbus.cli to info.picocli;
}
