import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Saves a screenshot of a dashboard page as a person sees it (a live page never goes idle, so Chromium's
 * own --screenshot cannot take one): java -cp SELENIUM DashboardScreenshot.java URL OUT.png [WIDTH HEIGHT].
 * Run through tools/dashboard-screenshot.sh.
 */
public class DashboardScreenshot {
    public static void main(String[] args) throws Exception {
        int width = args.length > 2 ? Integer.parseInt(args[2]) : 1400, height = args.length > 3 ? Integer.parseInt(args[3]) : 1600;
        ChromeOptions o = new ChromeOptions();
        o.setBinary(new File("/usr/bin/chromium"));
        Path profile = Files.createTempDirectory("rnnlab-shot");
        o.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--hide-scrollbars",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--window-size=" + width + "," + height,
                "--user-data-dir=" + profile);
        ChromeDriver d = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(new File("/usr/bin/chromedriver"))
                .usingAnyFreePort().build(), o);
        try {
            d.get(args[0]);
            Thread.sleep(2500);  // the stream's first events and a frame drawn
            Files.copy(d.getScreenshotAs(OutputType.FILE).toPath(), Path.of(args[1]), StandardCopyOption.REPLACE_EXISTING);
        } finally {
            d.quit();
        }
    }
}
