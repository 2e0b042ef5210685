package dev.rnnlab.series;

import dev.rnnlab.RnnlabException;
import dev.rnnlab.Rng;
import dev.rnnlab.io.IoErrors;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** A numeric series and where it came from. */
public record Series(String name, double[] values) {

    /**
     * D2L 8.1.2's data: x_t = sin(0.01 t) + N(0, noise^2) for t = 1..length (value t at index t - 1),
     * noise drawn from {@code seed}. D2L uses length 1000 and noise 0.2.
     */
    public static Series noisySine(int length, double noise, long seed) {
        if (length < 1) throw new RnnlabException("series length must be positive, got " + length);
        Rng rng = new Rng(seed);
        double[] x = new double[length];
        for (int t = 1; t <= length; t++) x[t - 1] = Math.sin(0.01 * t) + noise * rng.nextGaussian();
        return new Series(String.format(Locale.ROOT, "noisy sine sin(0.01 t) + N(0, %s^2), t = 1..%d, seed %d",
                noise, length, seed), x);
    }

    /**
     * One column of a delimited file, or a one-number-per-line file. The delimiter is a tab for {@code .tsv}
     * files or when the first line has a tab, else a comma when it has one; otherwise each line is one
     * number. {@code column} is a header name or a 1-based index; it may be null when the file has one
     * column. A first line whose chosen cell is not a number is a header. Blank lines are skipped; a cell
     * that is empty, not a number, NaN or infinite is an error naming its line.
     */
    public static Series read(Path file, String column) {
        List<String> lines;
        try {
            if (Files.isDirectory(file)) throw problem(file, "it is a directory");
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw problem(file, "no such file");
        } catch (CharacterCodingException e) {
            throw problem(file, "not valid UTF-8 text");
        } catch (IOException e) {
            throw problem(file, IoErrors.describe(e));
        }
        int first = 0;
        while (first < lines.size() && lines.get(first).isBlank()) first++;
        if (first == lines.size()) throw problem(file, "the file has no numbers (it is empty)");
        String head = lines.get(first);
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        String delimiter = name.endsWith(".tsv") || head.contains("\t") ? "\t" : head.contains(",") ? "," : null;
        String[] headCells = cells(head, delimiter);

        int col;
        boolean hasHeader;
        String label;
        Integer index = parseIndex(column);
        if (column == null) {
            if (headCells.length != 1) {
                throw problem(file, "it has " + headCells.length + " columns; choose one with --column NAME|INDEX");
            }
            col = 0;
            hasHeader = !isNumber(headCells[0]);
            label = hasHeader ? headCells[0] : "column 1";
        } else if (index != null) {
            if (index < 1 || index > headCells.length) {
                throw problem(file, "--column " + index + " is out of range: line " + (first + 1) + " has "
                        + headCells.length + " column" + (headCells.length == 1 ? "" : "s") + " (1-based)");
            }
            col = index - 1;
            hasHeader = !isNumber(headCells[col]);
            label = hasHeader ? headCells[col] : "column " + index;
        } else {
            col = Arrays.asList(headCells).indexOf(column.strip());
            if (col < 0) {
                throw problem(file, "no column '" + column + "' in the header (" + String.join(", ", headCells) + ")");
            }
            hasHeader = true;
            label = column.strip();
        }

        double[] x = new double[lines.size()];
        int n = 0;
        for (int i = hasHeader ? first + 1 : first; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) continue;
            String[] c = cells(line, delimiter);
            String where = "line " + (i + 1) + (delimiter == null ? "" : ", column '" + label + "'");
            if (c.length <= col) throw problem(file, "line " + (i + 1) + " has " + c.length + " cells, no column " + (col + 1));
            String cell = c[col];
            if (cell.isEmpty()) throw problem(file, where + ": empty cell (a missing value); remove or fill it");
            double v;
            try {
                v = Double.parseDouble(cell);
            } catch (NumberFormatException e) {
                throw problem(file, where + ": '" + (cell.length() > 40 ? cell.substring(0, 37) + "..." : cell)
                        + "' is not a number");
            }
            if (!Double.isFinite(v)) throw problem(file, where + ": " + cell + " is not a finite number; remove or fill it");
            x[n++] = v;
        }
        if (n == 0) throw problem(file, "no numbers in " + label);
        return new Series(file + (delimiter == null ? "" : " [" + label + "]"), Arrays.copyOf(x, n));
    }

    private static Integer parseIndex(String column) {
        if (column == null) return null;
        try {
            return Integer.parseInt(column.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String[] cells(String line, String delimiter) {
        if (delimiter == null) return new String[] {unquote(line.strip())};
        String[] c = line.split(delimiter, -1);
        for (int i = 0; i < c.length; i++) c[i] = unquote(c[i].strip());
        return c;
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1).strip() : s;
    }

    private static boolean isNumber(String s) {
        try {
            Double.parseDouble(s);
            return true;
        } catch (NumberFormatException e) {
            return s.equalsIgnoreCase("nan") || s.isEmpty();  // a NaN or empty first cell is data, and an error later
        }
    }

    private static RnnlabException problem(Path file, String what) {
        return new RnnlabException("cannot read series '" + file + "': " + what);
    }

    /** The number of values. */
    public int length() {
        return values.length;
    }
}
