package org.spbus.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The nngcat command line: prefixes, aliases, value forms, the -L/-l/-X/-x mapping and every error text. */
class CatParserTest
{
    private static CatOptions parse(final String... args)
    {
        return parseWithStdin(new byte[0], args);
    }

    private static CatOptions parseWithStdin(final byte[] stdin, final String... args)
    {
        return new CatParser(args, StandardCharsets.UTF_8, new ByteArrayInputStream(stdin),
            () -> "HELP\n".getBytes(StandardCharsets.UTF_8), () -> "9.9.9").parse();
    }

    /** Runs the parser on a space-separated command line and returns the fatal message. */
    private static String error(final String... args)
    {
        final CliExit e = assertThrows(CliExit.class, () -> parse(args));
        assertEquals(1, e.code(), "exit code");
        return e.stderrLine();
    }

    private static CatOptions.Address addr(final CatOptions.Mode m, final String url)
    {
        return new CatOptions.Address(m, url);
    }

    @Test
    void minimalListen()
    {
        final CatOptions o = parse("--bus0", "--listen", "tcp://127.0.0.1:5555");
        assertTrue(o.bus0);
        assertEquals(List.of(addr(CatOptions.Mode.LISTEN, "tcp://127.0.0.1:5555")), o.addresses);
        assertEquals(OutputFormat.NONE, o.effectiveFormat());
        assertFalse(o.verbose);
        assertEquals(-1, o.intervalMs);
        assertEquals(-1, o.recvTimeoutMs);
        assertEquals(-1, o.recvMaxSize);
        assertEquals(0, o.count);
        assertNull(o.data);
        assertFalse(o.async);
    }

    @ParameterizedTest
    @CsvSource({"--bus0", "--bus", "--bu"})
    void protocolPrefixes(final String proto)
    {
        assertTrue(parse(proto, "-L", "1").bus0);
    }

    @Test
    void unambiguousPrefixesOfEveryKind()
    {
        final CatOptions o = parse("--bu", "--liste", "tcp://a:1", "--dia", "tcp://b:2", "--form", "quoted", "--verb",
            "--recv-t", "3", "--cou", "4", "--int", "5", "--da", "x", "--del", "6", "--recv-m", "7", "--se", "8", "--asy",
            "--stat");
        assertEquals(List.of(addr(CatOptions.Mode.LISTEN, "tcp://a:1"), addr(CatOptions.Mode.DIAL, "tcp://b:2")),
            o.addresses);
        assertEquals(OutputFormat.QUOTED, o.format);
        assertTrue(o.verbose);
        assertEquals(3000, o.recvTimeoutMs);
        assertEquals(4, o.count);
        assertEquals(5000, o.intervalMs);
        assertArrayEquals("x".getBytes(StandardCharsets.UTF_8), o.data);
        assertEquals(6000, o.delayMs);
        assertEquals(7, o.recvMaxSize);
        assertEquals(8000, o.sendTimeoutMs);
        assertTrue(o.async);
        assertTrue(o.stats);
        assertEquals(OutputFormat.MSGPACK, parse("--bus0", "-L", "1", "--ms").format);
    }

    @Test
    void exactNameBeatsLongerNames()
    {
        // --bind is also a prefix of --bind-ipc and --bind-local
        assertEquals(List.of(addr(CatOptions.Mode.LISTEN, "tcp://x:1")), parse("--bus0", "--bind", "tcp://x:1").addresses);
        assertEquals(List.of(addr(CatOptions.Mode.DIAL, "tcp://x:1")), parse("--bus0", "--connect", "tcp://x:1").addresses);
        assertEquals("Option --bind- is ambiguous (specify in full).", error("--bus0", "--bind-", "x"));
    }

    @Test
    void aliasesAndRepeatedMixedAddressesKeepOrder()
    {
        final CatOptions o = parse("--bus0", "--bind", "tcp://a:1", "--dial", "tcp://b:2", "--listen", "inproc://c",
            "--connect", "tcp://d:4", "-L", "5", "-l", "6", "-X", "sock", "-x", "/tmp/s");
        assertEquals(List.of(addr(CatOptions.Mode.LISTEN, "tcp://a:1"), addr(CatOptions.Mode.DIAL, "tcp://b:2"),
            addr(CatOptions.Mode.LISTEN, "inproc://c"), addr(CatOptions.Mode.DIAL, "tcp://d:4"),
            addr(CatOptions.Mode.LISTEN, "tcp://127.0.0.1:5"), addr(CatOptions.Mode.DIAL, "tcp://127.0.0.1:6"),
            addr(CatOptions.Mode.LISTEN, "ipc:///sock"), addr(CatOptions.Mode.DIAL, "ipc:////tmp/s")), o.addresses);
    }

    @Test
    void localAndIpcShortcutsAsNngcatMapsThem()
    {
        assertEquals("tcp://127.0.0.1:45106", parse("--bus0", "-L", "045106").addresses.get(0).url());
        assertEquals("tcp://127.0.0.1:0", parse("--bus0", "-L", "0").addresses.get(0).url());
        assertEquals("tcp://127.0.0.1:65536", parse("--bus0", "--bind-local", "65536").addresses.get(0).url());
        assertEquals("tcp://127.0.0.1:7", parse("--bus0", "--connect-local", "7").addresses.get(0).url());
        assertEquals("ipc:///sock2", parse("--bus0", "-X", "sock2").addresses.get(0).url());
        assertEquals("ipc:////tmp/a", parse("--bus0", "--bind-ipc", "/tmp/a").addresses.get(0).url());
        assertEquals("ipc:////tmp/b", parse("--bus0", "--connect-ipc=/tmp/b").addresses.get(0).url());
        assertEquals(CatOptions.Mode.DIAL, parse("--bus0", "-x", "p").addresses.get(0).mode());
        assertEquals("Integer argument too large.", error("--bus0", "-L", "65537"));
        assertEquals("Integer argument expected.", error("--bus0", "-l", "-1"));
    }

    @Test
    void valueForms()
    {
        assertArrayEquals(bytes("a=b"), parse("--bus0", "-L", "1", "--data=a=b").data);
        assertArrayEquals(bytes("x"), parse("--bus0", "-L", "1", "--data:x").data);
        assertArrayEquals(bytes("hello"), parse("--bus0", "-L", "1", "-Dhello").data);
        assertArrayEquals(bytes("=hi"), parse("--bus0", "-L", "1", "-D=hi").data);
        assertArrayEquals(bytes("--raw"), parse("--bus0", "-L", "1", "-D", "--raw").data);
        assertArrayEquals(bytes("a\\nb"), parse("--bus0", "-L", "1", "-D", "a\\nb").data);
        assertArrayEquals(new byte[0], parse("--bus0", "-L", "1", "-D", "").data);
        assertArrayEquals(new byte[0], parse("--bus0", "-L", "1", "--data=").data);
        assertEquals(OutputFormat.HEX, parse("--bus0", "-L", "1", "--format=hex").format);
        assertEquals(2000, parse("--bus0", "-L", "1", "--recv-timeout:2").recvTimeoutMs);
        assertEquals(List.of(addr(CatOptions.Mode.LISTEN, "tcp://h:1")), parse("--bus0", "--listen=tcp://h:1").addresses);
        assertArrayEquals("héllo".getBytes(StandardCharsets.UTF_8), parse("--bus0", "-L", "1", "-D", "héllo").data);
    }

    private static byte[] bytes(final String s)
    {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void firstNonOptionEndsParsingSilently()
    {
        final CatOptions o = parse("--bus0", "-v", "-L", "45026", "--recv-timeout", "1", "foo", "--bogus");
        assertEquals(1, o.addresses.size());
        assertEquals(1000, o.recvTimeoutMs);
        assertEquals(1, parse("--bus0", "-L", "1", "-", "--bogus").addresses.size());
        assertEquals(1, parse("--bus0", "-L", "1", "", "--bogus").addresses.size());
        assertEquals("No address specified.", error("--bus0", "foo", "-L", "1"));
    }

    @Test
    void optionsInAnyOrderLastVerboseSilentWins()
    {
        assertTrue(parse("-v", "-L", "45091", "--bus0").verbose);
        assertTrue(parse("--bus0", "-L", "1", "-q", "-v").verbose);
        assertFalse(parse("--bus0", "-L", "1", "-v", "-q").verbose);
        assertFalse(parse("--bus0", "-L", "1", "--verbose", "--silent").verbose);
    }

    @Test
    void repeatedScalarsKeepTheLastValue()
    {
        final CatOptions o = parse("--bus0", "-L", "1", "-D", "x", "-i", "5", "-i", "1", "-C", "2", "-C", "3", "-d",
            "4", "-d", "0", "--recv-timeout", "9", "--recv-timeout", "0");
        assertEquals(1000, o.intervalMs);
        assertEquals(3, o.count);
        assertEquals(0, o.delayMs);
        assertEquals(0, o.recvTimeoutMs);
    }

    @Test
    void integerArguments()
    {
        assertEquals(0x7fffffff, parse("--bus0", "-L", "1", "-Z", "0").recvMaxSize);
        assertEquals(5, parse("--bus0", "-L", "1", "-Z", "5").recvMaxSize);
        assertEquals(2147483647, parse("--bus0", "-L", "1", "-C", "2147483647").count);
        assertEquals(86400_000L, parse("--bus0", "-L", "1", "-D", "x", "-i", "86400").intervalMs);
        // C int arithmetic, as nngcat: 4294967297 wraps to 1 and is accepted
        assertEquals(1, parse("--bus0", "-L", "1", "-C", "4294967297").count);
        assertEquals("Empty integer argument.", error("--bus0", "-L", "1", "-D", "x", "-i", ""));
        assertEquals("Integer argument expected.", error("--bus0", "-L", "1", "-D", "x", "-i", "1.5"));
        assertEquals("Integer argument expected.", error("--bus0", "-L", "1", "-D", "x", "-i", "-1"));
        assertEquals("Integer argument expected.", error("--bus0", "-L", "1", "--recv-timeout", "86400x"));
        assertEquals("Integer argument expected.", error("--bus0", "-L", "1", "-Z", "-5"));
        assertEquals("Integer argument expected.", error("--bus0", "-L", "1", "-C", "+3"));
        assertEquals("Integer argument too large.", error("--bus0", "-L", "1", "-D", "x", "-i", "86401"));
        assertEquals("Integer argument too large.", error("--bus0", "-L", "1", "-d", "86401"));
        assertEquals("Integer argument too large.", error("--bus0", "-L", "1", "--send-timeout", "99999"));
        assertEquals("Integer argument overflow.", error("--bus0", "-L", "1", "-C", "2147483648"));
    }

    @Test
    void optionErrors()
    {
        assertEquals("Option --bogus is invalid.", error("--bus0", "-L", "1", "--bogus"));
        assertEquals("Option --bogus=3 is invalid.", error("--bus0", "-L", "1", "--bogus=3"));
        assertEquals("Option -z is invalid.", error("--bus0", "-L", "1", "-z"));
        assertEquals("Option -vq is invalid.", error("--bus0", "-L", "1", "-vq"));
        assertEquals("Option --verbose=1 is invalid.", error("--bus0", "-L", "1", "--verbose=1"));
        assertEquals("Option --b is ambiguous (specify in full).", error("--bus0", "-L", "1", "--b"));
        assertEquals("Option --re is ambiguous (specify in full).", error("--bus0", "-L", "1", "--re"));
        assertEquals("Option -- is ambiguous (specify in full).", error("--bus0", "-L", "1", "--"));
        assertEquals("Option --listen requires argument.", error("--bus0", "--listen"));
        assertEquals("Option --data requires argument.", error("--bus0", "-L", "1", "--data"));
        assertEquals("Option -D requires argument.", error("--bus0", "-L", "1", "-D"));
        // errors come in argument order: the first problem wins
        assertEquals("Integer argument expected.", error("--bus0", "-i", "x", "--bogus"));
        assertEquals("Option --bogus is invalid.", error("--bus0", "--bogus", "-i", "x"));
    }

    @Test
    void formatAndDataErrors()
    {
        assertEquals("Format may be specified only once.", error("--bus0", "-L", "1", "--raw", "--ascii"));
        assertEquals("Format may be specified only once.", error("--bus0", "-L", "1", "--format", "raw", "--hex"));
        assertEquals("Format may be specified only once.", error("--bus0", "-L", "1", "--hex", "--quoted"));
        assertEquals("Format may be specified only once.", error("--bus0", "-L", "1", "--format", "no", "-Q"));
        assertEquals("Invalid format specified.", error("--bus0", "-L", "1", "--format", "foo"));
        assertEquals("Data (--file, --data) may be specified only once.", error("--bus0", "-L", "1", "-D", "a", "-D",
            "b"));
        assertEquals("Data (--file, --data) may be specified only once.", error("--bus0", "-L", "1", "-D", "a", "-F",
            "/nonexistent"));
        assertEquals("Cannot open file /nonexistent/x: No such file or directory", error("--bus0", "-L", "1", "-F",
            "/nonexistent/x"));
        assertEquals("Cannot open file /nonexistent/x: No such file or directory", error("--bus0", "-L", "1",
            "--cacert", "/nonexistent/x"));
        assertEquals("Read from /tmp failed: Is a directory", error("--bus0", "-L", "1", "-F", "/tmp"));
    }

    @Test
    void validationAfterParsingInNngcatOrder()
    {
        assertEquals("No address specified.", error());
        assertEquals("No address specified.", error("--bus0"));
        assertEquals("No address specified.", error("--compat", "--async")); // address check comes first
        assertEquals("No protocol specified.", error("--listen", "tcp://127.0.0.1:45020"));
        assertEquals("Options --async and --compat are incompatible.", error("--bus0", "-L", "1", "--compat",
            "--async"));
        assertEquals("Options --count and --compat are incompatible.", error("--bus0", "-L", "1", "--compat", "-C",
            "1"));
        assertEquals("Protocol does not support --subscribe.", error("--bus0", "-L", "1", "--subscribe", "x"));
        assertEquals("Option --interval requires either --file or --data.", error("--bus0", "-L", "1", "-i", "1"));
        assertEquals("Protocol does not support --subscribe.", error("-L", "1", "--subscribe", "x", "-i", "1"));
        assertEquals("Option --interval requires either --file or --data.", error("-L", "1", "-i", "1"));
        assertTrue(parse("--bus0", "-L", "1", "--compat").async);
    }

    @Test
    void onlyBus0IsSpoken()
    {
        assertEquals("Only one protocol may be specified.", error("--bus0", "--pair0", "--listen", "tcp://h:1"));
        assertEquals("Only one protocol may be specified.", error("--bus0", "--bus0", "-L", "1"));
        assertEquals("Protocol --pair0 is not supported: spbus only speaks bus0 (use --bus0).",
            error("--pair0", "-L", "1"));
        assertEquals("Protocol --pub0 is not supported: spbus only speaks bus0 (use --bus0).", error("--pub", "-L", "1"));
        assertEquals("Protocol --sub0 is not supported: spbus only speaks bus0 (use --bus0).", error("--sub", "-L", "1"));
        assertEquals("Protocol --surveyor0 is not supported: spbus only speaks bus0 (use --bus0).",
            error("--surveyor0", "-L", "1"));
        assertEquals("Protocol --respondent0 is not supported: spbus only speaks bus0 (use --bus0).",
            error("--resp", "-L", "1"));
        assertEquals("Protocol --pair is not supported: spbus only speaks bus0 (use --bus0).", error("--pair", "-L",
            "1"));
        assertEquals("Protocol --req0 is not supported: spbus only speaks bus0 (use --bus0).", error("--req", "-L", "1"));
        assertEquals("Protocol --push0 is not supported: spbus only speaks bus0 (use --bus0).", error("--push0"));
    }

    @Test
    void helpAndVersion()
    {
        CliExit e = assertThrows(CliExit.class, () -> parse("--bus0", "--help", "--bogus"));
        assertEquals(1, e.code());
        assertEquals("HELP\n", new String(e.stdoutBytes(), StandardCharsets.UTF_8));
        assertNull(e.stderrLine());
        e = assertThrows(CliExit.class, () -> parse("-h"));
        assertEquals(1, e.code());
        e = assertThrows(CliExit.class, () -> parse("--vers"));
        assertEquals(0, e.code());
        assertEquals("9.9.9\n", new String(e.stdoutBytes(), StandardCharsets.UTF_8));
        e = assertThrows(CliExit.class, () -> parse("-V", "--bogus"));
        assertEquals(0, e.code());
        // an error before --help wins
        assertEquals("Option --bogus is invalid.", error("--bogus", "--help"));
    }

    @Test
    void acceptedAndIgnoredOptions(@TempDir final Path dir) throws IOException
    {
        final Path f = Files.writeString(dir.resolve("ca.pem"), "x");
        final CatOptions o = parse("--bus0", "-L", "1", "--insecure", "-k", "--zt-home", "/x", "--socket-name", "n",
            "--cacert", f.toString(), "--key", f.toString(), "--cert", f.toString(), "--send-timeout", "3");
        assertTrue(o.cacert && o.keyfile && o.certfile);
        assertEquals("CA Certificate (--cacert) may be specified only once.", error("--bus0", "-L", "1", "--cacert",
            f.toString(), "--cacert", f.toString()));
        assertEquals("Key (--key) may be specified only once.", error("--bus0", "-L", "1", "--key", f.toString(),
            "--key", f.toString()));
        assertEquals("Cert (--cert) may be specified only once.", error("--bus0", "-L", "1", "-E", f.toString(),
            "--cert", f.toString()));
    }

    @Test
    void fileDataFromFileAndStdin(@TempDir final Path dir) throws IOException
    {
        final byte[] binary = {0, 1, 2, (byte)0xff, '\n'};
        final Path f = Files.write(dir.resolve("msg.bin"), binary);
        assertArrayEquals(binary, parse("--bus0", "-L", "1", "-F", f.toString()).data);
        assertArrayEquals(binary, parse("--bus0", "-L", "1", "--file=" + f).data);
        final Path empty = Files.write(dir.resolve("empty"), new byte[0]);
        assertArrayEquals(new byte[0], parse("--bus0", "-L", "1", "-F", empty.toString()).data);
        assertArrayEquals(binary, parseWithStdin(binary, "--bus0", "-L", "1", "-F", "-").data);
    }

    @Test
    void statsIsAnExtraThatMakesNoNngcatPrefixAmbiguous()
    {
        assertTrue(parse("--bus0", "-L", "1", "--stats").stats);
        for (final CatParser.Spec s : CatParser.SPECS)
        {
            if (s.opt() == CatParser.Opt.STATS)
            {
                continue;
            }
            // every prefix of an nngcat name that was unambiguous still is: "stats" shares no
            // prefix longer than "s" with any of them
            int common = 0;
            while (common < s.name().length() && common < 5 && s.name().charAt(common) == "stats".charAt(common))
            {
                common++;
            }
            assertTrue(common <= 1, s.name());
        }
        assertEquals("Option --s is ambiguous (specify in full).", error("--bus0", "-L", "1", "--s"));
    }
}
