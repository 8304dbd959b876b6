/**
 * spbus benchmarks: the JMH benchmarks of the seed's targets ({@code BenchmarkBusBroadcast10},
 * {@code BenchmarkBusBroadcast100}, {@code BenchmarkBusRecv}, the cost of one {@code send} and
 * the allocation of the send path) and {@link org.spbus.bench.Harness}, a copy of the NNG/nanomsg
 * C harness ({@code bench.c}: the same scenarios, timing points and {@code key=value} output) so
 * that spbus can be measured beside NNG in one run. See {@code bus-bench/README.md}.
 */
package org.spbus.bench;
