package org.spbus.bench;

import java.util.Locale;

/**
 * One harness run: a scenario and its configuration, the same flags as the C harness
 * ({@code busbench-nng --scenario ... --transport ... --peers ...}).
 *
 * @param scenario  {@code fanout}, {@code rx} or {@code bcast}
 * @param transport {@code ipc}, {@code tcp} or {@code inproc} (the C harness has only the first two)
 * @param peers     fanout: receivers; rx: senders; bcast: receivers (1 to {@value #MAX_PEERS})
 * @param size      message size in bytes, at least {@value Wire#MIN_SIZE}
 * @param large     {@code false}: library defaults ({@code bufs=default}, send queue 16 per pipe,
 *                  receive queue 128); {@code true}: {@code bufs=large}, 1024 and 1024
 * @param count     fanout: measured broadcasts
 * @param warmup    fanout: broadcasts before measuring, not recorded
 * @param duration  rx and bcast: seconds of sending
 * @param rxAio     fanout with callback receivers; spbus has none, so a run with it fails
 *                  (as the nanomsg backend's does)
 */
public record HarnessConfig(String scenario, String transport, int peers, int size, boolean large, int count,
    int warmup, double duration, boolean rxAio)
{
    /** The largest number of peers, as {@code MAXPEERS} in {@code bench.c}. */
    public static final int MAX_PEERS = 512;

    /**
     * Checks the configuration as {@code bench.c}'s {@code main} does.
     *
     * @param scenario  {@code fanout}, {@code rx} or {@code bcast}
     * @param transport {@code ipc}, {@code tcp} or {@code inproc}
     * @param peers     1 to {@value #MAX_PEERS}
     * @param size      at least {@value Wire#MIN_SIZE} bytes
     * @param large     {@code bufs=large} rather than {@code default}
     * @param count     measured broadcasts, at least 1
     * @param warmup    warm-up broadcasts, 0 or more
     * @param duration  seconds of sending, more than 0
     * @param rxAio     callback receivers (refused when run)
     * @throws IllegalArgumentException if a value is out of range
     */
    public HarnessConfig
    {
        if (scenario == null || !(scenario.equals("fanout") || scenario.equals("rx") || scenario.equals("bcast")))
        {
            throw new IllegalArgumentException("--scenario must be fanout, rx or bcast, not " + scenario);
        }
        if (transport == null || !(transport.equals("ipc") || transport.equals("tcp") || transport.equals("inproc")))
        {
            throw new IllegalArgumentException("--transport must be ipc, tcp or inproc, not " + transport);
        }
        if (peers < 1 || peers > MAX_PEERS)
        {
            throw new IllegalArgumentException("--peers must be 1.." + MAX_PEERS + ", not " + peers);
        }
        if (size < Wire.MIN_SIZE)
        {
            throw new IllegalArgumentException("--size must be >= " + Wire.MIN_SIZE + ", not " + size);
        }
        if (count < 1 || warmup < 0)
        {
            throw new IllegalArgumentException("--count must be >= 1 and --warmup >= 0");
        }
        if (!(duration > 0))
        {
            throw new IllegalArgumentException("--duration must be > 0, not " + duration);
        }
    }

    /**
     * Returns the C harness's defaults: fanout over ipc, 10 peers, 64 bytes, default buffers,
     * 2000 broadcasts after 200 warm-up ones, 3 s of sending.
     *
     * @return the defaults
     */
    public static HarnessConfig defaults()
    {
        return new HarnessConfig("fanout", "ipc", 10, 64, false, 2000, 200, 3.0, false);
    }

    /**
     * Parses {@code bench.c}'s flags ({@code --name value} or {@code --name=value}) on top of
     * {@link #defaults()}.
     *
     * @param args the command-line arguments
     * @return the configuration
     * @throws IllegalArgumentException for an unknown flag, a missing value or a value out of range
     */
    public static HarnessConfig parse(final String... args)
    {
        String scenario = "fanout";
        String transport = "ipc";
        int peers = 10;
        int size = 64;
        boolean large = false;
        int count = 2000;
        int warmup = 200;
        double duration = 3.0;
        boolean aio = false;
        for (int i = 0; i < args.length; i++)
        {
            String name = args[i];
            String value;
            final int eq = name.indexOf('=');
            if (eq > 0)
            {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            else
            {
                if (i + 1 >= args.length)
                {
                    throw new IllegalArgumentException("missing value for " + name);
                }
                value = args[++i];
            }
            try
            {
                switch (name)
                {
                    case "--scenario":
                        scenario = value;
                        break;
                    case "--transport":
                        transport = value.toLowerCase(Locale.ROOT);
                        break;
                    case "--peers":
                        peers = Integer.parseInt(value);
                        break;
                    case "--size":
                        size = Integer.parseInt(value);
                        break;
                    case "--bufs":
                        if (!value.equals("default") && !value.equals("large"))
                        {
                            throw new IllegalArgumentException("--bufs must be default or large, not " + value);
                        }
                        large = value.equals("large");
                        break;
                    case "--count":
                        count = Integer.parseInt(value);
                        break;
                    case "--warmup":
                        warmup = Integer.parseInt(value);
                        break;
                    case "--duration":
                        duration = Double.parseDouble(value);
                        break;
                    case "--rxmode":
                        if (!value.equals("thread") && !value.equals("aio"))
                        {
                            throw new IllegalArgumentException("--rxmode must be thread or aio, not " + value);
                        }
                        aio = value.equals("aio");
                        break;
                    default:
                        throw new IllegalArgumentException("unknown flag " + name);
                }
            }
            catch (final NumberFormatException e)
            {
                throw new IllegalArgumentException("bad number for " + name + ": " + value, e);
            }
        }
        return new HarnessConfig(scenario, transport, peers, size, large, count, warmup, duration, aio);
    }

    /**
     * Returns the scenario name printed in {@code scenario=}: as given, or {@code fanout_aio}
     * for a fanout with callback receivers (as {@code bench.c}).
     *
     * @return the reported scenario name
     */
    public String reportedScenario()
    {
        return scenario.equals("fanout") && rxAio ? "fanout_aio" : scenario;
    }

    /**
     * Returns a copy with another scenario, transport and peer count; the other values are kept.
     *
     * @param scenario  the scenario
     * @param transport the transport
     * @param peers     the peer count
     * @return the new configuration
     */
    public HarnessConfig with(final String scenario, final String transport, final int peers)
    {
        return new HarnessConfig(scenario, transport, peers, size, large, count, warmup, duration, rxAio);
    }
}
