package org.spbus.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

/**
 * Each output format against the exact bytes nngcat 1.5.2 prints (nngcat-spec.md section 2;
 * the 0x00-0xFF strings were captured from nngcat on this machine).
 */
class OutputFormatTest
{
    private static final byte[] HELLO = ascii("hello");
    private static final byte[] A_NL_B = ascii("A\nB");
    private static final byte[] EMPTY = new byte[0];
    private static final byte[] ALL = new byte[256];

    static
    {
        for (int i = 0; i < 256; i++)
        {
            ALL[i] = (byte)i;
        }
    }

    /** nngcat --quoted for one message holding the bytes 0x00 to 0xFF, as nngcat printed it (738 bytes). */
    private static final String NNGCAT_QUOTED_ALL = ""
        + "\"\\x00\\x01\\x02\\x03\\x04\\x05\\x06\\x07\\x08\\t\\n\\x0b\\x0c\\r\\x0e\\x0f\\x10\\x11\\x1"
        + "2\\x13\\x14\\x15\\x16\\x17\\x18\\x19\\x1a\\x1b\\x1c\\x1d\\x1e\\x1f !\\\"#$%&'()*+,-./01234"
        + "56789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\\\]^_`abcdefghijklmnopqrstuvwxyz{|}~\\x7f\\x80\\x"
        + "81\\x82\\x83\\x84\\x85\\x86\\x87\\x88\\x89\\x8a\\x8b\\x8c\\x8d\\x8e\\x8f\\x90\\x91\\x92\\x"
        + "93\\x94\\x95\\x96\\x97\\x98\\x99\\x9a\\x9b\\x9c\\x9d\\x9e\\x9f\\xa0\\xa1\\xa2\\xa3\\xa4\\x"
        + "a5\\xa6\\xa7\\xa8\\xa9\\xaa\\xab\\xac\\xad\\xae\\xaf\\xb0\\xb1\\xb2\\xb3\\xb4\\xb5\\xb6\\x"
        + "b7\\xb8\\xb9\\xba\\xbb\\xbc\\xbd\\xbe\\xbf\\xc0\\xc1\\xc2\\xc3\\xc4\\xc5\\xc6\\xc7\\xc8\\x"
        + "c9\\xca\\xcb\\xcc\\xcd\\xce\\xcf\\xd0\\xd1\\xd2\\xd3\\xd4\\xd5\\xd6\\xd7\\xd8\\xd9\\xda\\x"
        + "db\\xdc\\xdd\\xde\\xdf\\xe0\\xe1\\xe2\\xe3\\xe4\\xe5\\xe6\\xe7\\xe8\\xe9\\xea\\xeb\\xec\\x"
        + "ed\\xee\\xef\\xf0\\xf1\\xf2\\xf3\\xf4\\xf5\\xf6\\xf7\\xf8\\xf9\\xfa\\xfb\\xfc\\xfd\\xfe\\x"
        + "ff\"\n";

    private static byte[] ascii(final String s)
    {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] hex(final String s)
    {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    /** The three messages of the spec's method (hello, A\nB, empty) printed one after the other. */
    private static byte[] threeMessages(final OutputFormat f) throws IOException
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        f.write(HELLO, out);
        f.write(A_NL_B, out);
        f.write(EMPTY, out);
        return out.toByteArray();
    }

    @Test
    void noneAndDefaultPrintNothing() throws IOException
    {
        assertArrayEquals(EMPTY, threeMessages(OutputFormat.NONE));
        assertArrayEquals(EMPTY, OutputFormat.NONE.format(ALL));
        assertEquals(OutputFormat.NONE, new CatOptions().effectiveFormat());
    }

    @Test
    void raw() throws IOException
    {
        assertArrayEquals(hex("68656c6c6f 410a42"), threeMessages(OutputFormat.RAW));
        assertArrayEquals(ALL, OutputFormat.RAW.format(ALL));
    }

    @Test
    void asciiReplacesNonPrintableWithDotAndAddsNoNewline() throws IOException
    {
        assertArrayEquals(hex("68656c6c6f 412e42"), threeMessages(OutputFormat.ASCII));
        final byte[] expected = new byte[256];
        Arrays.fill(expected, (byte)'.');
        for (int b = 0x20; b <= 0x7e; b++)
        {
            expected[b] = (byte)b;
        }
        assertArrayEquals(expected, OutputFormat.ASCII.format(ALL));
        assertArrayEquals(EMPTY, OutputFormat.ASCII.format(EMPTY));
    }

    @Test
    void quoted() throws IOException
    {
        assertArrayEquals(ascii("\"hello\"\n\"A\\nB\"\n\"\"\n"), threeMessages(OutputFormat.QUOTED));
        assertArrayEquals(ascii("\"\"\n"), OutputFormat.QUOTED.format(EMPTY));
    }

    @Test
    void quotedAllBytesMatchesNngcat()
    {
        final byte[] got = OutputFormat.QUOTED.format(ALL);
        assertEquals(738, got.length);
        assertEquals(NNGCAT_QUOTED_ALL, new String(got, StandardCharsets.ISO_8859_1));
    }

    @Test
    void quotedEscapesOnlyFiveCharacters()
    {
        assertEquals("\"\\t\\n\\r\\\"\\\\\\x07\\x08\\x0b\\x0c\\x7f\\x80\\xff\"\n", new String(
            OutputFormat.QUOTED.format(hex("09 0a 0d 22 5c 07 08 0b 0c 7f 80 ff")), StandardCharsets.ISO_8859_1));
    }

    @Test
    void hexFormat() throws IOException
    {
        assertArrayEquals(ascii("\"\\x68\\x65\\x6c\\x6c\\x6f\"\n\"\\x41\\x0a\\x42\"\n\"\"\n"),
            threeMessages(OutputFormat.HEX));
        final String all = new String(OutputFormat.HEX.format(ALL), StandardCharsets.ISO_8859_1);
        assertEquals(1027, all.length()); // as nngcat printed it
        final StringBuilder expected = new StringBuilder("\"");
        for (int i = 0; i < 256; i++)
        {
            expected.append(String.format("\\x%02x", i));
        }
        assertEquals(expected.append("\"\n").toString(), all);
    }

    @Test
    void msgpack() throws IOException
    {
        assertArrayEquals(hex("c4 05 68656c6c6f c4 03 410a42 c4 00"), threeMessages(OutputFormat.MSGPACK));
        final byte[] all = OutputFormat.MSGPACK.format(ALL);
        assertArrayEquals(hex("c5 01 00"), Arrays.copyOf(all, 3));
        assertArrayEquals(ALL, Arrays.copyOfRange(all, 3, all.length));
    }

    @Test
    void msgpackHeaderSizeBoundaries()
    {
        assertArrayEquals(hex("c4 00"), OutputFormat.msgpackHeader(0));
        assertArrayEquals(hex("c4 05"), OutputFormat.msgpackHeader(5));
        assertArrayEquals(hex("c4 ff"), OutputFormat.msgpackHeader(255));
        assertArrayEquals(hex("c5 01 00"), OutputFormat.msgpackHeader(256));
        assertArrayEquals(hex("c5 ff ff"), OutputFormat.msgpackHeader(65535));
        assertArrayEquals(hex("c6 00 01 00 00"), OutputFormat.msgpackHeader(65536));
        assertArrayEquals(hex("c6 00 10 00 00"), OutputFormat.msgpackHeader(1048576));
        assertArrayEquals(hex("c6 00 2d c6 c0"), OutputFormat.msgpackHeader(3000000));
    }

    @Test
    void msgpackWholeMessagesAtBoundaries()
    {
        for (final int len : new int[] {255, 256, 65535, 65536})
        {
            final byte[] body = new byte[len];
            Arrays.fill(body, (byte)0x5a);
            final byte[] got = OutputFormat.MSGPACK.format(body);
            final byte[] header = OutputFormat.msgpackHeader(len);
            assertEquals(header.length + len, got.length, "length " + len);
            assertArrayEquals(header, Arrays.copyOf(got, header.length), "header for " + len);
            assertArrayEquals(body, Arrays.copyOfRange(got, header.length, got.length), "body for " + len);
        }
    }

    @Test
    void formatNamesAreExactLowercase()
    {
        assertEquals(OutputFormat.NONE, OutputFormat.byName("no"));
        assertEquals(OutputFormat.ASCII, OutputFormat.byName("ascii"));
        assertEquals(OutputFormat.HEX, OutputFormat.byName("hex"));
        assertEquals(OutputFormat.MSGPACK, OutputFormat.byName("msgpack"));
        assertEquals(OutputFormat.QUOTED, OutputFormat.byName("quoted"));
        assertEquals(OutputFormat.RAW, OutputFormat.byName("raw"));
        assertNull(OutputFormat.byName("Quoted"));
        assertNull(OutputFormat.byName("quote"));
        assertNull(OutputFormat.byName(""));
    }
}
