import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * How long the dashboard takes to show a long run and to redraw it, in headless Chromium:
 * java -cp SELENIUM DashboardRedraw.java URL. Prints the time from navigation until every step line is on
 * the page, and the median of 15 whole redraws (all charts rebuilt and filled) per x axis.
 */
public class DashboardRedraw {
    public static void main(String[] args) throws Exception {
        ChromeOptions o = new ChromeOptions();
        o.setBinary(new File("/usr/bin/chromium"));
        Path profile = Files.createTempDirectory("rnnlab-bench");
        o.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--window-size=1400,1600",
                "--user-data-dir=" + profile);
        ChromeDriver d = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(new File("/usr/bin/chromedriver"))
                .usingAnyFreePort().build(), o);
        try {
            long expected = Long.parseLong(args[1]);
            long start = System.nanoTime();
            d.get(args[0]);
            while (true) {
                Object n = d.executeScript("const r = window.rnnlab && rnnlab.state.runs[0]; return r ? r.steps.length : 0");
                if (((Number) n).longValue() >= expected) break;
                Thread.sleep(20);
            }
            System.out.printf("%d step lines on the page %.0f ms after navigation%n", expected, (System.nanoTime() - start) / 1e6);
            for (String axis : List.of("epoch", "step", "time")) {
                d.executeScript("const s = document.getElementById('x-axis'); s.value = arguments[0];", axis);
                List<Double> ms = new ArrayList<>();
                for (int i = 0; i < 15; i++) ms.add(((Number) d.executeScript("return rnnlab.timeRedraw(true)")).doubleValue());
                Collections.sort(ms);
                System.out.printf("x = %-5s whole redraw: median %.1f ms, max %.1f ms%n", axis, ms.get(7), ms.get(14));
            }
        } finally {
            d.quit();
        }
    }
}
