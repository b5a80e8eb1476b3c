package io.jlvs.ctl.keepalived;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The lexer, preprocessor and block builder: every construct of keepalived.conf(5), and broken files. */
class ConfParserTest {
    final ConfMessages messages = new ConfMessages();

    List<ConfNode> parse(String text) { return parse(text, "host1"); }

    List<ConfNode> parse(String text, String configId) {
        return ConfParser.parseText(text, "k.conf", Path.of("/nonexistent"), configId, messages);
    }

    String dump(String text) {
        String d = ConfNodes.dump(parse(text));
        assertThat(messages.hasErrors()).as(messages.report()).isFalse();
        return d;
    }

    List<String> errors() { return messages.of(ConfMessages.Kind.ERROR).stream().map(ConfMessages.Message::toString).toList(); }

    // ---- blocks ----

    @Test
    void bracesOnTheirOwnLineGluedOrOnOneLineMakeTheSameTree() {
        String want = "virtual_server 192.0.2.10 80 {\n  real_server 192.0.2.21 80 {\n    weight 2\n  }\n}\n";
        assertThat(dump("virtual_server 192.0.2.10 80 {\n real_server 192.0.2.21 80 {\n weight 2\n }\n}\n")).isEqualTo(want);
        assertThat(dump("virtual_server 192.0.2.10 80\n{\n real_server 192.0.2.21 80\n {\n weight 2\n }\n}\n")).isEqualTo(want);
        assertThat(dump("virtual_server 192.0.2.10 80{real_server 192.0.2.21 80{weight 2}}")).isEqualTo(want);
        assertThat(dump("virtual_server 192.0.2.10 80 { real_server 192.0.2.21 80 { weight 2 } }")).isEqualTo(want);
    }

    @Test
    void everyNodeKnowsItsFileAndLine() {
        List<ConfNode> t = parse("\n\nglobal_defs {\n   router_id r1\n}\n");
        assertThat(t.getFirst().where()).isEqualTo("k.conf:3");
        assertThat(t.getFirst().children().getFirst().where()).isEqualTo("k.conf:4");
        assertThat(t.getFirst().children().getFirst().args()).containsExactly("r1");
    }

    @Test
    void valueBlocksHoldStatementsOfOneWordOrMore() {
        assertThat(dump("notification_email {\n a@example.org\n \"My admin <b@example.org>\"\n}"))
                .isEqualTo("notification_email {\n  a@example.org\n  My admin <b@example.org>\n}\n");
    }

    @Test
    void anEmptyBlockIsABlockWithNoChildren() {
        List<ConfNode> t = parse("TCP_CHECK {\n}\nPING_CHECK {}");
        assertThat(t).extracting(ConfNode::keyword).containsExactly("TCP_CHECK", "PING_CHECK");
        assertThat(t.get(1).children()).isEmpty();
        assertThat(messages.hasErrors()).isFalse();
    }

    // ---- words, quotes, comments ----

    @Test
    void doubleQuotesKeepBlanksAndAreRemoved() {
        ConfNode n = parse("notify_up \"/usr/bin/notify up  now\" root").getFirst();
        assertThat(n.args()).containsExactly("/usr/bin/notify up  now", "root");
    }

    @Test
    void singleQuotesAndBackslashesAreLeftForTheConsumer() {
        ConfNode n = parse("misc_path \"/bin/check 'a b' \\x20\"").getFirst();
        assertThat(n.args()).containsExactly("/bin/check 'a b' \\x20");
    }

    @Test
    void aQuoteEndsAWord() {
        assertThat(parse("a b\"c d\"e").getFirst().args()).containsExactly("b", "c d", "e");
    }

    @Test
    void commentsStartWithHashOrBangAnywhereOutsideQuotes() {
        assertThat(dump("! whole line\n# whole line\nrouter_id r1 # trailing\nweight 2 ! trailing\nx \"a # b\" ! c\n"))
                .isEqualTo("router_id r1\nweight 2\nx \"a # b\"\n");
    }

    @Test
    void escapedCommentCharactersAreCharacters() {
        assertThat(parse("url \\#frag\\!bang").getFirst().args()).containsExactly("#frag!bang");
    }

    @Test
    void bracesInsideQuotesDoNotOpenBlocks() {
        List<ConfNode> t = parse("notify_up \"/bin/echo {x}\"\nweight 1");
        assertThat(t).hasSize(2);
        assertThat(t.getFirst().args()).containsExactly("/bin/echo {x}");
        assertThat(messages.hasErrors()).isFalse();
    }

    @Test
    void crlfLineEndsAndTabsAreBlanks() {
        assertThat(dump("global_defs {\r\n\trouter_id\tr1\r\n}\r\n")).isEqualTo("global_defs {\n  router_id r1\n}\n");
    }

    // ---- conditionals ----

    @Test
    void conditionalLinesFollowTheConfigId() {
        String text = "@main router_id main_router\n@backup router_id backup_router\n@^main peer 1.2.3.4\n@^backup peer 1.2.3.5\n";
        assertThat(ConfNodes.dump(parse(text, "main"))).isEqualTo("router_id main_router\npeer 1.2.3.5\n");
        assertThat(ConfNodes.dump(parse(text, "backup"))).isEqualTo("router_id backup_router\npeer 1.2.3.4\n");
        assertThat(ConfNodes.dump(parse(text, "other"))).isEqualTo("peer 1.2.3.4\npeer 1.2.3.5\n");
    }

    @Test
    void aConditionalWithNothingAfterItIsDropped() {
        assertThat(ConfNodes.dump(parse("@main\nweight 1", "main"))).isEqualTo("weight 1\n");
    }

    @Test
    void conditionalsApplyInsideBlocks() {
        assertThat(ConfNodes.dump(parse("vrrp_instance V {\n@high priority 170\n@low priority 85\n}", "low")))
                .isEqualTo("vrrp_instance V {\n  priority 85\n}\n");
    }

    @Test
    void theDefaultConfigIdIsTheHostNameUpToItsFirstDot() {
        String id = ConfParser.defaultConfigId();
        assertThat(id).isNotEmpty().doesNotContain(".");
    }

    // ---- definitions ----

    @Test
    void definitionsExpandWithAndWithoutBraces() {
        assertThat(dump("$IP=192.0.2.10\n$PORT=80\nvirtual_server $IP ${PORT}\nx ${IP}:${PORT}\n"))
                .isEqualTo("virtual_server 192.0.2.10 80\nx 192.0.2.10:80\n");
    }

    @Test
    void bareReferenceNeedsABlankCommaParenOrTheEnd() {
        assertThat(dump("$A=1\nx $A,$A) $A\ny $AB $A.b\n")).isEqualTo("x 1,1) 1\ny $AB $A.b\n");
    }

    @Test
    void undefinedNamesStayAsWritten() {
        assertThat(dump("$X=1\nscript \"/bin/x $HOME ${UNDEF}\"\n")).isEqualTo("script \"/bin/x $HOME ${UNDEF}\"\n");
    }

    @Test
    void substitutionHappensAtUseTimeAndIsRecursive() {
        // the man page's example
        assertThat(dump("$ADDRESS_BASE=10.2.${ADDRESS_BASE_SUB}\n$ADDRESS_BASE_SUB=0\n${ADDRESS_BASE}.100/32\n"
                + "$ADDRESS_BASE_SUB=10\n${ADDRESS_BASE}.100/32\n")).isEqualTo("10.2.0.100/32\n10.2.10.100/32\n");
    }

    @Test
    void aDefinitionMayHoldAConditional() {
        String text = "$IF_MAIN=@main\n$IF_MAIN priority 240\n";
        assertThat(ConfNodes.dump(parse(text, "main"))).isEqualTo("priority 240\n");
        assertThat(ConfNodes.dump(parse(text, "backup"))).isEmpty();
    }

    @Test
    void conditionalDefinitions() {
        String text = "@main $PRIORITY=240\n@backup $PRIORITY=200\nvrrp_instance VI_0 {\n priority $PRIORITY\n}\n";
        assertThat(ConfNodes.dump(parse(text, "backup"))).isEqualTo("vrrp_instance VI_0 {\n  priority 200\n}\n");
    }

    @Test
    void emptyValuesAreAllowed() {
        assertThat(dump("$ALPHA=\nvirtual_server 192.0.2.1 80 {\n $ALPHA\n weight 1\n}\n"))
                .isEqualTo("virtual_server 192.0.2.1 80 {\n  weight 1\n}\n");
    }

    @Test
    void multiLineDefinitionsExpandToLinesAndBlocks() {
        String text = """
                $RS= \\
                real_server 192.0.2.${N} 80 { \\
                    weight ${N} \\
                }
                virtual_server 192.0.2.100 80 {
                    $N=1
                    $RS
                    $N=2
                    $RS
                }
                """;
        assertThat(dump(text)).isEqualTo("virtual_server 192.0.2.100 80 {\n  real_server 192.0.2.1 80 {\n    weight 1\n  }\n"
                + "  real_server 192.0.2.2 80 {\n    weight 2\n  }\n}\n");
    }

    @Test
    void multiLineDefinitionsNestAsInTheManPage() {
        String text = """
                $RS= \\
                real_server 192.168.${VS_NUM}.${RS_NUM} 80 { \\
                    weight 1 \\
                    inhibit_on_failure \\
                    MISC_CHECK { \\
                        misc_path "${_PWD}/scripts/vs.sh RS_misc.${VS_NUM}.${RS_NUM}" \\
                    } \\
                }

                $VS= \\
                virtual_server 10.0.${VS_NUM}.4 80 { \\
                    quorum 2 \\
                    $RS_NUM=1 \\
                    $RS \\
                    $RS_NUM=2 \\
                    $RS \\
                }

                $VS_NUM=0
                $VS
                $VS_NUM=1
                $VS
                """;
        List<ConfNode> t = parse(text);
        assertThat(messages.hasErrors()).as(messages.report()).isFalse();
        assertThat(t).extracting(n -> n.args().getFirst()).containsExactly("10.0.0.4", "10.0.1.4");
        assertThat(t.get(1).children()).extracting(ConfNode::keyword).containsExactly("quorum", "real_server", "real_server");
        ConfNode rs = t.get(1).children().get(2);
        assertThat(rs.args()).containsExactly("192.168.1.2", "80");
        assertThat(rs.children().get(2).children().getFirst().args())
                .containsExactly("/nonexistent/scripts/vs.sh RS_misc.1.2");
        assertThat(rs.where()).isEqualTo("k.conf:22");                 // the line that used $VS
    }

    @Test
    void aMultiLineDefinitionOnlyExpandsAtTheEndOfALine() {
        assertThat(dump("$M= \\\na \\\nb\nx $M y\nz $M\n")).isEqualTo("x $M y\nz a\nb\n");
    }

    @Test
    void aBlankOrCommentLineEndsAMultiLineDefinition() {
        assertThat(dump("$M=a \\\nb \\\n\nc\n$M\n")).isEqualTo("c\na\nb\n");
    }

    @Test
    void predefinedDefinitions(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("k.conf");
        Files.writeString(f, "a ${_INSTANCE}\nb ${_PWD}\nc ${_HASH}x${_BANG}\nd ${_RANDOM 5 5}\ne ${_ENV JLVS_NO_SUCH_VAR_42}.\n");
        List<ConfNode> t = ConfParser.parseFile(f, "inst7", messages);
        assertThat(ConfNodes.dump(t)).isEqualTo("a inst7\nb " + dir.toRealPath() + "\nc #x!\nd 5\ne .\n");
    }

    @Test
    void aUserDefinitionOverridesAPredefinedOne() {
        assertThat(dump("$_INSTANCE=mine\nx ${_INSTANCE}\n")).isEqualTo("x mine\n");
    }

    @Test
    void aRecursiveDefinitionIsAnErrorNotAHang() {
        parse("$A=x${A}\ny ${A}\n");
        assertThat(errors()).singleElement().asString().startsWith("k.conf:2: error:").contains("recursive definition");
    }

    @Test
    void aSelfExpandingMultiLineDefinitionIsAnErrorNotAHang() {
        parse("$M=a \\\n$M\n$M\n");
        assertThat(errors()).singleElement().asString().startsWith("k.conf:3: error:").contains("nested deeper than");
    }

    @Test
    void aDefinitionExpandingExponentiallyIsBounded() {
        parse("$A=xxxxxxxxxx\n$B=$A $A $A $A $A $A $A $A $A $A\n$C=$B $B $B $B $B $B $B $B $B $B\n"
                + "$D=$C $C $C $C $C $C $C $C $C $C\n$E=$D $D $D $D $D $D $D $D $D $D\nx $E $E $E $E $E $E $E\n");
        assertThat(errors()).singleElement().asString().startsWith("k.conf:6: error:");
    }

    // ---- loops ----

    @Test
    void seqWithStartStepEnd() {
        assertThat(dump("~SEQ(SUBNET, 0, 3) ip_address 10.0.${SUBNET}.1\n"))
                .isEqualTo("ip_address 10.0.0.1\nip_address 10.0.1.1\nip_address 10.0.2.1\nip_address 10.0.3.1\n");
        assertThat(dump("~SEQ(I, 10, -5, 0) x $I\n")).isEqualTo("x 10\nx 5\nx 0\n");
    }

    @Test
    void seqShortForms() {
        assertThat(dump("~SEQ(I, 3) x $I\n")).isEqualTo("x 1\nx 2\nx 3\n");
        assertThat(dump("~SEQ(J, -2) y $J\n")).isEqualTo("y -1\ny -2\n");
        assertThat(dump("~SEQ(K, 5, 3) z $K\n")).isEqualTo("z 5\nz 4\nz 3\n");
    }

    @Test
    void seqxFormatsInHexadecimal() {
        assertThat(dump("~SEQx(S, 0x90, 0x10, 0xc0) ip_address fe80::20:${S}:1\n"))
                .isEqualTo("ip_address fe80::20:90:1\nip_address fe80::20:a0:1\nip_address fe80::20:b0:1\nip_address fe80::20:c0:1\n");
    }

    @Test
    void seqsNestOnOneLine() {
        assertThat(dump("~SEQ(A, 1, 2) ~SEQ(B, 1, 2) x ${A}.$B\n")).isEqualTo("x 1.1\nx 1.2\nx 2.1\nx 2.2\n");
    }

    @Test
    void seqRepeatsMultiLineDefinitionsAndBlocks() {
        String text = "$RS= \\\nreal_server 192.0.2.$N 80 { \\\n weight $N \\\n}\nvirtual_server 192.0.2.100 80 {\n~SEQ(N, 1, 3) $RS\n}\n";
        List<ConfNode> t = parse(text);
        assertThat(messages.hasErrors()).as(messages.report()).isFalse();
        assertThat(t.getFirst().children()).extracting(n -> n.args().getFirst())
                .containsExactly("192.0.2.1", "192.0.2.2", "192.0.2.3");
        assertThat(t.getFirst().children().get(2).children().getFirst().args()).containsExactly("3");
    }

    @Test
    void seqParametersMayBeDefinitions() {
        assertThat(dump("$MAX=2\n~SEQ(I, 1, ${MAX}) x $I\n")).isEqualTo("x 1\nx 2\n");
    }

    @Test
    void listBlocks() {
        assertThat(dump("~LST(IP, 1, 2) x 10.0.0.${IP}\n")).isEqualTo("x 10.0.0.1\nx 10.0.0.2\n");
        assertThat(dump("~LST({IP, IP1}, {10,1},{20,4}) 192.168.${IP}.${IP1}\n")).isEqualTo("192.168.10.1\n192.168.20.4\n");
        assertThat(dump("~LST(IP, 1, 2) ~SEQ(P, 80, 81) x ${IP}:${P}\n")).isEqualTo("x 1:80\nx 1:81\nx 2:80\nx 2:81\n");
    }

    @Test
    void badSeqsAreErrorsWithTheLine() {
        parse("ok 1\n~SEQ(I, 1, 0, 5) x\n~SEQ I, 1) x\n~SEQ(, 3) x\n~SEQ(I, a, 3) x\n~SEQx(I, -3, 3) x\n~SEQ(I, 1, -1, 5) x\n");
        assertThat(errors()).hasSize(6).allSatisfy(e -> assertThat(e).contains("~SEQ"));
        assertThat(errors()).extracting(e -> e.substring(0, e.indexOf(": error"))).containsExactly("k.conf:2", "k.conf:3",
                "k.conf:4", "k.conf:5", "k.conf:6", "k.conf:7");
    }

    @Test
    void aHugeSeqIsAnErrorNotAHang() {
        parse("~SEQ(I, 1, 9223372036854775807) x $I\n");
        assertThat(errors()).singleElement().asString().contains("at most 1000000");
        ConfMessages m2 = new ConfMessages();
        ConfParser.parseText("~SEQ(A, 1, 1000) ~SEQ(B, 1, 1000) ~SEQ(C, 1, 1000) x\n", "k.conf", Path.of("/"), "h", m2, 10_000, Preprocessor.MAX_WORK);
        assertThat(m2.of(ConfMessages.Kind.ERROR)).singleElement().asString().contains("more than 10000 lines");
    }

    @Test
    void loopsThatProduceNothingStillEnd() {
        ConfParser.parseText("~SEQ(A, 1, 1000000) ~SEQ(B, 1, 1000000) ~SEQ(C, 1, 1000000)\n", "k.conf", Path.of("/"), "h",
                messages, Preprocessor.MAX_LINES, 100_000);
        assertThat(errors()).singleElement().asString().contains("more than 100000 preprocessing steps");
    }

    // ---- include ----

    @Test
    void includeIsRelativeToTheIncludingFileAndKeepsItsOwnLineNumbers(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("conf.d/sub"));
        Files.writeString(dir.resolve("main.conf"), "global_defs {\n include conf.d/globals.inc\n}\ninclude conf.d/*.conf\n");
        Files.writeString(dir.resolve("conf.d/globals.inc"), "router_id r1\ninclude sub/more.inc\n");
        Files.writeString(dir.resolve("conf.d/sub/more.inc"), "\nlvs_flush\n");
        Files.writeString(dir.resolve("conf.d/b.conf"), "b 1\n");
        Files.writeString(dir.resolve("conf.d/a.conf"), "a 1\n");
        Files.writeString(dir.resolve("conf.d/.hidden.conf"), "hidden 1\n");
        List<ConfNode> t = ConfParser.parseFile(dir.resolve("main.conf"), "h", messages);
        assertThat(messages.hasErrors()).as(messages.report()).isFalse();
        assertThat(ConfNodes.dump(t)).isEqualTo("global_defs {\n  router_id r1\n  lvs_flush\n}\na 1\nb 1\n");
        ConfNode flush = t.getFirst().children().get(1);
        assertThat(flush.file()).endsWith("conf.d/sub/more.inc");
        assertThat(flush.line()).isEqualTo(2);
    }

    @Test
    void includeWithBraces(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("x"));
        Files.writeString(dir.resolve("main.conf"), "include {x/one,two}.inc\n");
        Files.writeString(dir.resolve("x/one.inc"), "one 1\n");
        Files.writeString(dir.resolve("two.inc"), "two 2\n");
        assertThat(ConfNodes.dump(ConfParser.parseFile(dir.resolve("main.conf"), "h", messages))).isEqualTo("one 1\ntwo 2\n");
    }

    @Test
    void aMissingIncludeIsAnErrorAtTheIncludeLine(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("main.conf"), "a 1\ninclude missing.conf\nb 2\n");
        List<ConfNode> t = ConfParser.parseFile(dir.resolve("main.conf"), "h", messages);
        assertThat(t).hasSize(2);
        assertThat(errors()).singleElement().asString()
                .isEqualTo(dir.resolve("main.conf") + ":2: error: include: cannot open missing.conf: no such file");
    }

    @Test
    void aWildcardMatchingNothingIsAWarning(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("main.conf"), "include conf.d/*.conf\n");
        ConfParser.parseFile(dir.resolve("main.conf"), "h", messages);
        assertThat(messages.hasErrors()).isFalse();
        assertThat(messages.of(ConfMessages.Kind.WARNING)).singleElement().asString().contains("no file matches conf.d/*.conf");
    }

    @Test
    void anIncludeCycleIsAnError(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("a.conf"), "x 1\ninclude b.conf\n");
        Files.writeString(dir.resolve("b.conf"), "y 1\ninclude a.conf\n");
        List<ConfNode> t = ConfParser.parseFile(dir.resolve("a.conf"), "h", messages);
        assertThat(ConfNodes.dump(t)).isEqualTo("x 1\ny 1\n");
        assertThat(errors()).singleElement().asString().contains("b.conf:2: error: include cycle");
    }

    @Test
    void includeDepthIsBounded(@TempDir Path dir) throws IOException {
        for (int i = 0; i < 20; i++) Files.writeString(dir.resolve(i + ".conf"), "l" + i + " 1\ninclude " + (i + 1) + ".conf\n");
        Files.writeString(dir.resolve("20.conf"), "end 1\n");
        ConfParser.parseFile(dir.resolve("0.conf"), "h", messages);
        assertThat(errors()).singleElement().asString().contains("include nested deeper than 16");
    }

    @Test
    void includeOfADirectoryOrTheTopFileMissing(@TempDir Path dir) throws IOException {
        ConfParser.parseFile(dir.resolve("nope.conf"), "h", messages);
        assertThat(errors()).singleElement().asString().endsWith("cannot open " + dir.resolve("nope.conf") + ": no such file");
    }

    @Test
    void definitionsCarryIntoIncludedFilesAndBack(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("main.conf"), "$A=1\ninclude defs.inc\nx $A $B\n");
        Files.writeString(dir.resolve("defs.inc"), "y $A\n$B=2\n");
        assertThat(ConfNodes.dump(ConfParser.parseFile(dir.resolve("main.conf"), "h", messages))).isEqualTo("y 1\nx 1 2\n");
    }

    // ---- broken files ----

    @Test
    void anExtraClosingBraceIsAnErrorWithItsLine() {
        parse("a {\n}\n}\nb 1\n");
        assertThat(errors()).containsExactly("k.conf:3: error: extra '}'");
    }

    @Test
    void anUnclosedBlockIsAnErrorAtItsOpening() {
        parse("global_defs {\n router_id r\nvirtual_server 192.0.2.1 80 {\n");
        assertThat(errors()).containsExactly(
                "k.conf:1: error: missing '}': the block of 'global_defs' opened here is not closed (2 blocks open at the end)");
    }

    @Test
    void anUnexpectedOpeningBraceIsAnError() {
        List<ConfNode> t = parse("{\n a 1\n}\nb {\n}\n{\n}\nc 1\n");
        assertThat(errors()).containsExactly(
                "k.conf:1: error: unexpected '{' (no statement before it to open a block for)",
                "k.conf:6: error: unexpected '{' (no statement before it to open a block for)");
        assertThat(ConfNodes.dump(t)).isEqualTo("b\nc 1\n");
    }

    @Test
    void anUnterminatedQuoteIsAnError() {
        List<ConfNode> t = parse("a \"b c\nd 1\n");
        assertThat(errors()).containsExactly("k.conf:1: error: unterminated quote: 'a \"b c'");
        assertThat(t).hasSize(2);
    }

    @Test
    void nestingIsBounded() {
        parse("a{".repeat(40) + "}".repeat(40));
        assertThat(errors()).containsExactly("k.conf:1: error: blocks nested deeper than 32 levels");
    }

    @Test
    void includeWithTheWrongNumberOfWords() {
        parse("include a b\n");
        assertThat(errors()).containsExactly("k.conf:1: error: include: expected one file name or pattern, got 2");
    }
}
