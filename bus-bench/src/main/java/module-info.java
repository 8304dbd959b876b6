/**
 * spbus benchmarks: the JMH microbenchmarks ({@code BenchmarkBus*}) and the Java copy of the
 * NNG/nanomsg C harness ({@link org.spbus.bench.Harness}).
 *
 * <p>The harness runs on the module path ({@code bus-bench/harness}); the engine and the
 * transports are bound as service providers. JMH does not support the module path (its forked
 * JVMs are started with the parent's class path), so {@code bus-bench/jmh} runs the same jars
 * on the class path, where this descriptor is ignored; JMH is therefore only a static
 * (compile-time) dependency of the module.
 */
module org.spbus.bench {
    requires org.spbus.api;
    requires static jmh.core;

    exports org.spbus.bench;
}
