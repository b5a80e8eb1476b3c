package io.jlvs.ha.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** FILE_CHECK reading real files. */
class FileCheckerTest {

    @TempDir
    Path dir;

    private FileChecker checker(Path f, int weight, boolean reverse, boolean dynamic) {
        return new FileChecker(new FileChecker.Spec("tf", f, weight, reverse, dynamic));
    }

    @Test
    void valueTimesWeightIsAddedWhenDynamic() throws Exception {
        Path f = dir.resolve("weight");
        Files.writeString(f, "  -3\n");
        FileChecker c = checker(f, 2, false, true);
        CheckResult r = c.check();
        assertThat(r.up()).isTrue();
        assertThat(r.contribution(10)).isEqualTo(-6);
        Files.writeString(f, "5");
        assertThat(c.check().contribution(10)).isEqualTo(10);
        assertThat(checker(f, 2, true, true).check().contribution(10)).as("reverse").isEqualTo(-10);
        assertThat(checker(f, 2, false, false).check().contribution(10)).as("not dynamic").isZero();
    }

    @Test
    void weightZeroMakesItAnUpDownFile() throws Exception {
        Path f = dir.resolve("flag");
        Files.writeString(f, "0\n");
        assertThat(checker(f, 0, false, false).check().up()).isTrue();
        assertThat(checker(f, 0, true, false).check().up()).isFalse();
        Files.writeString(f, "1\n");
        assertThat(checker(f, 0, false, false).check().up()).isFalse();
        assertThat(checker(f, 0, true, false).check().up()).isTrue();
    }

    @Test
    void aMissingOrEmptyFileReadsAsZero() throws Exception {
        Path f = dir.resolve("gone");
        assertThat(checker(f, 0, false, false).check().up()).isTrue();
        assertThat(checker(f, 0, true, false).check().up()).isFalse();
        assertThat(checker(f, 0, false, false).check().detail()).contains("no file");
        Files.writeString(f, "");
        assertThat(checker(f, 1, false, true).check().contribution(1)).isZero();
    }

    @Test
    void anOutOfRangeNumberIsIgnoredAndTheLastValueStands() throws Exception {
        Path f = dir.resolve("big");
        Files.writeString(f, "7");
        FileChecker c = checker(f, 1, false, true);
        assertThat(c.check().contribution(0)).isEqualTo(7);
        Files.writeString(f, "99999999999");
        CheckResult r = c.check();
        assertThat(r.contribution(0)).isEqualTo(7);
        assertThat(r.detail()).contains("invalid number ignored");
    }

    @Test
    void aProductAtOrBelowIntMinIsDown() throws Exception {
        Path f = dir.resolve("fault");
        Files.writeString(f, "-2147483648");
        assertThat(checker(f, 1, false, true).check().up()).isFalse();
        Files.writeString(f, "-1073741824");
        assertThat(checker(f, 2, false, true).check().up()).isFalse();
        assertThat(checker(f, 1, false, true).check().up()).isTrue();
    }

    @Test
    void numbersAreReadLikeStrtolBaseZero() {
        assertThat(FileChecker.strtol("0x1f")).isEqualTo(31);
        assertThat(FileChecker.strtol("010")).isEqualTo(8);
        assertThat(FileChecker.strtol("-12abc")).isEqualTo(-12);
        assertThat(FileChecker.strtol("abc")).isZero();
        assertThat(FileChecker.strtol("+\t5")).isZero();
        assertThat(FileChecker.strtol("2147483648")).isEqualTo(2147483648L);
        assertThat(FileChecker.strtol("2147483649")).isNull();
        assertThat(FileChecker.strtol("0x")).isZero();
    }
}
