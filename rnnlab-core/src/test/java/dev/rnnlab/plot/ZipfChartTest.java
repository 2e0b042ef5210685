package dev.rnnlab.plot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rnnlab.RnnlabException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZipfChartTest {
    @TempDir
    Path dir;

    private static List<ZipfChart.Curve> curves() {
        long[] byRank = new long[5000];
        for (int r = 1; r <= byRank.length; r++) byRank[r - 1] = Math.max(1, Math.round(1e4 / r));
        return List.of(new ZipfChart.Curve("1-grams", byRank, 1.0, Math.log(1e4), 10, 1000),
                new ZipfChart.Curve("2-grams", new long[] {5}, Double.NaN, Double.NaN, 10, 1));
    }

    @Test
    void writesPngOrSvgByExtension() throws Exception {
        Path png = dir.resolve("zipf.png");
        ZipfChart.write(png, "test", curves());
        byte[] head = Files.readAllBytes(png);
        assertThat(head[1]).isEqualTo((byte) 'P');
        assertThat(head[2]).isEqualTo((byte) 'N');
        Path svg = dir.resolve("zipf.svg");
        ZipfChart.write(svg, "test", curves());
        assertThat(Files.readString(svg)).contains("<svg");
    }

    @Test
    void rejectsOtherExtensions() {
        Path pdf = dir.resolve("zipf.pdf");
        assertThatThrownBy(() -> ZipfChart.write(pdf, "t", curves())).isInstanceOf(RnnlabException.class)
                .hasMessage("cannot write plot '" + pdf + "': use a .png or .svg file name");
    }

    @Test
    void logSpacingKeepsTheHeadAndTheLastRankAndBoundsThePointCount() {
        long[] byRank = new long[1_000_000];
        java.util.Arrays.fill(byRank, 1);
        double[][] xy = ZipfChart.logSpaced(byRank);
        assertThat(xy[0]).startsWith(1, 2, 3);
        assertThat(xy[0][xy[0].length - 1]).isEqualTo(1_000_000);
        assertThat(xy[0].length).isLessThan(2200);
    }
}
