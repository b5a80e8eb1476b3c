package io.jlvs.ctl.keepalived.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.jlvs.ctl.keepalived.ConfNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrackFileBlocksTest {

    final Conf.Recorder diag = new Conf.Recorder();

    @TempDir
    Path dir;

    @Test
    void aFullDeclaration() {
        Optional<TrackFile> tf = TrackFileBlocks.parse(Conf.one("""
                track_file weight_rs1 {
                    file /run/jlvs/rs1
                    weight -10 reverse
                    init_file 5 overwrite
                }"""), diag);
        assertThat(diag.errors).isEmpty();
        assertThat(tf).contains(new TrackFile("weight_rs1", Path.of("/run/jlvs/rs1"), -10, true, true, 5, true));
    }

    @Test
    void defaultsAndRelativePathsFromTheDeclaringFile() {
        ConfNode block = new ConfNode("track_file", List.of("t"), List.of(
                new ConfNode("file", List.of("state/t"), List.of(), "/etc/keepalived/conf.d/x.conf", 2)),
                "/etc/keepalived/conf.d/x.conf", 1);
        TrackFile tf = TrackFileBlocks.parse(block, diag).orElseThrow();
        assertThat(tf.file()).isEqualTo(Path.of("/etc/keepalived/conf.d/state/t"));
        assertThat(tf.weight()).isEqualTo(1);
        assertThat(tf.reverse()).isFalse();
        assertThat(tf.initFile()).isFalse();
    }

    @Test
    void errorsAndSkips() {
        assertThat(TrackFileBlocks.parse(Conf.one("track_file t {\n weight 3\n}"), diag)).isEmpty();
        assertThat(TrackFileBlocks.parse(Conf.one("track_file t {\n file /x\n weight 300\n}"), diag)).isEmpty();
        assertThat(TrackFileBlocks.parse(Conf.one("track_file t {\n file /x\n weight 3 sideways\n}"), diag)).isEmpty();
        assertThat(diag.errors).containsExactly("test.conf:1 track_file t has no file",
                "test.conf:3 weight: invalid value '300' (expected -254..254)",
                "test.conf:3 weight: unknown option 'sideways' (reverse|noreverse)");
        assertThat(TrackFileBlocks.parse(Conf.one("track_file t {\n file /x\n colour blue\n}"), diag)).isPresent();
        assertThat(diag.skipped).containsExactly("test.conf:3 unknown keyword 'colour' in track_file");
    }

    @Test
    void initFileCreatesAMissingFileAndOverwritesOnlyWhenAskedAndNotOnReload() throws Exception {
        Path f = dir.resolve("tf");
        new TrackFile("t", f, 1, false, true, 7, false).initialise(false);
        assertThat(Files.readString(f)).isEqualTo("7\n");
        new TrackFile("t", f, 1, false, true, 9, false).initialise(false);
        assertThat(Files.readString(f)).isEqualTo("7\n");
        new TrackFile("t", f, 1, false, true, 9, true).initialise(true);
        assertThat(Files.readString(f)).isEqualTo("7\n");
        new TrackFile("t", f, 1, false, true, 9, true).initialise(false);
        assertThat(Files.readString(f)).isEqualTo("9\n");
    }
}
