package dev.rnnlab.series;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rnnlab.RnnlabException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SeriesTest {
    @TempDir
    Path dir;

    @Test
    void readsAColumnByNameOrIndexFromCsvTsvAndPlainFiles() throws Exception {
        Path csv = Files.writeString(dir.resolve("a.csv"), "date,\"temp\",rain\n2020-01-01,1.5,0\n\n2020-01-02,-2e-1,3\n");
        assertThat(Series.read(csv, "temp").values()).containsExactly(1.5, -0.2);
        assertThat(Series.read(csv, "3").values()).containsExactly(0.0, 3.0);
        Path tsv = Files.writeString(dir.resolve("b.tsv"), "1\t2\n3\t4\n");
        assertThat(Series.read(tsv, "2").values()).containsExactly(2.0, 4.0);
        Path plain = Files.writeString(dir.resolve("c.txt"), "value\n1\n 2.5 \n3\n");
        assertThat(Series.read(plain, null).values()).containsExactly(1.0, 2.5, 3.0);
        assertThat(Series.read(Files.writeString(dir.resolve("d.txt"), "4\n5\n"), null).values()).containsExactly(4.0, 5.0);
    }

    @Test
    void badCellsAreOneLineErrorsNamingTheLine() throws Exception {
        Object[][] cases = {
            {"a,b\n1,2\n3,x\n", "b", "line 3, column 'b': 'x' is not a number"},
            {"a,b\n1,2\n3,\n", "b", "line 3, column 'b': empty cell (a missing value); remove or fill it"},
            {"1\nNaN\n", null, "line 2: NaN is not a finite number; remove or fill it"},
            {"a,b\n1,2\n", "c", "no column 'c' in the header (a, b)"},
            {"a,b\n1,2\n", "5", "--column 5 is out of range: line 1 has 2 columns (1-based)"},
            {"a,b\n1,2\n", null, "it has 2 columns; choose one with --column NAME|INDEX"},
            {"\n\n", null, "the file has no numbers (it is empty)"},
            {"value\n", null, "no numbers in value"},
            {"a,b\n1,2\n3\n", "2", "line 3 has 1 cells, no column 2"},
        };
        int i = 0;
        for (Object[] c : cases) {
            Path f = Files.writeString(dir.resolve("f" + i++ + ".csv"), (String) c[0]);
            assertThatThrownBy(() -> Series.read(f, (String) c[1])).isInstanceOf(RnnlabException.class)
                    .hasMessage("cannot read series '" + f + "': " + c[2]);
        }
        assertThatThrownBy(() -> Series.read(dir.resolve("none.csv"), null))
                .hasMessage("cannot read series '" + dir.resolve("none.csv") + "': no such file");
        Path latin1 = Files.write(dir.resolve("l.txt"), new byte[] {'1', '\n', (byte) 0xE9, '\n'});
        assertThatThrownBy(() -> Series.read(latin1, null)).hasMessageEndingWith("not valid UTF-8 text");
    }
}
