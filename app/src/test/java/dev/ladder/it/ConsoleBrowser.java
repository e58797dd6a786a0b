package dev.ladder.it;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.logging.Level;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real headless Chromium from the Debian packages ({@code chromium}, {@code chromium-driver}),
 * driven by Selenium through the system chromedriver: nothing is downloaded at run time. Without
 * them the test is skipped on a developer machine and fails under {@code CI=true}, where
 * {@code .ci/run} installs them.
 */
final class ConsoleBrowser implements AutoCloseable {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final ChromeDriver driver;
    private final Path profile;

    private ConsoleBrowser(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    /** Starts Chromium, or fails (CI) / skips (elsewhere) when it is not installed. */
    static ConsoleBrowser start() throws IOException {
        requireInstalled(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER), System.getenv("CI"));
        Path profile = Files.createTempDirectory("ladder-console-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
                "--window-size=1400,1000",
                "--user-data-dir=" + profile);
        // the page's console messages, for the report of a failed wait
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
                .usingAnyFreePort()
                .build();
        return new ConsoleBrowser(new ChromeDriver(service, options), profile);
    }

    /**
     * Fails under {@code CI=true} when the browser is missing (CI must never pass without running
     * the browser tests), skips elsewhere.
     */
    static void requireInstalled(boolean installed, String ci) {
        if (installed) {
            return;
        }
        String missing =
                "Chromium and chromedriver are not installed (apt-get install chromium chromium-driver; .ci/run does it)";
        if ("true".equals(ci)) {
            throw new AssertionError(missing);
        }
        Assumptions.abort(missing);
    }

    WebDriver driver() {
        return driver;
    }

    void open(String url) {
        driver.get(url);
    }

    /** Waits until the element is there and visible. */
    WebElement await(String css) {
        return until(d -> {
            List<WebElement> found = d.findElements(By.cssSelector(css));
            return found.isEmpty() || !found.get(0).isDisplayed() ? null : found.get(0);
        });
    }

    /** Waits until the element's text contains {@code text}. */
    WebElement awaitText(String css, String text) {
        return until(d -> {
            List<WebElement> found = d.findElements(By.cssSelector(css));
            return !found.isEmpty() && found.get(0).getText().contains(text) ? found.get(0) : null;
        });
    }

    /** Waits for the condition; a timeout says what the page showed then. */
    <T> T until(Function<WebDriver, T> condition) {
        try {
            // the Ladder page redraws itself every 2 s: an element found just before is then stale
            return new WebDriverWait(driver, WAIT)
                    .ignoring(StaleElementReferenceException.class)
                    .until(condition::apply);
        } catch (TimeoutException e) {
            String shown = driver.findElements(By.tagName("main")).stream()
                    .map(WebElement::getText)
                    .findFirst()
                    .orElse(driver.getPageSource());
            String console = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                    .map(LogEntry::toString)
                    .collect(java.util.stream.Collectors.joining("\n"));
            throw new AssertionError(
                    "timed out on " + driver.getCurrentUrl() + " showing:\n" + shown + "\nconsole:\n" + console, e);
        }
    }

    List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    /** The texts of the elements, read at one moment (again, if a redraw came in between). */
    List<String> texts(String css) {
        return until(d -> d.findElements(By.cssSelector(css)).stream()
                .map(WebElement::getText)
                .toList());
    }

    /** Saves a PNG of the window as {@code docs/console/<name>.png} of the repository. */
    void screenshot(String name) {
        Path file = docs().resolve(name + ".png");
        try {
            Files.createDirectories(file.getParent());
            Files.move(driver.getScreenshotAs(OutputType.FILE).toPath(), file, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path docs() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("docs")) && Files.exists(dir.resolve("app/pom.xml"))) {
                return dir.resolve("docs/console");
            }
        }
        throw new IllegalStateException(
                "no repository root above " + Path.of("").toAbsolutePath());
    }

    @Override
    public void close() throws IOException {
        driver.quit();
        try (var files = Files.walk(profile)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        }
    }
}
