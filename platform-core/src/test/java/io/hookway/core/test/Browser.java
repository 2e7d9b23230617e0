package io.hookway.core.test;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Debian's Chromium driven headless through its own chromedriver, for tests of pages in a
 * real browser. Both are given by path, so Selenium Manager never looks for (or
 * downloads) a driver. Each browser has a profile of its own, deleted on close.
 */
public final class Browser implements AutoCloseable {

	public static final Path DRIVER = Path.of("/usr/bin/chromedriver");

	public static final Path CHROMIUM = Path.of("/usr/bin/chromium");

	private static final Path SCREENSHOTS = Path.of("target", "dashboard-screenshots");

	private static final Duration WAIT = Duration.ofSeconds(20);

	private final ChromeDriverService service;

	private final ChromeDriver driver;

	private final Path profile;

	private final String baseUrl;

	/** Skips the calling test, saying why, when Chromium's driver is not installed. */
	public static void assumeInstalled() {
		Assumptions.assumeTrue(Files.isExecutable(DRIVER) && Files.isExecutable(CHROMIUM),
				"Chromium and its driver are not installed (/usr/bin/chromium, /usr/bin/chromedriver; Debian packages "
						+ "chromium and chromium-driver, installed by .ci/run): browser tests skipped");
	}

	public Browser(String baseUrl) {
		assumeInstalled();
		this.baseUrl = baseUrl;
		try {
			this.profile = Files.createTempDirectory("hookway-chromium");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
			.usingAnyFreePort()
			.build();
		ChromeOptions options = new ChromeOptions();
		options.setBinary(CHROMIUM.toFile());
		options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
				"--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
				"--window-size=1280,1000", "--user-data-dir=" + this.profile);
		this.driver = new ChromeDriver(this.service, options);
	}

	public WebDriver driver() {
		return this.driver;
	}

	/** Opens a path (or an absolute URL) of the server under test. */
	public void open(String pathOrUrl) {
		this.driver.get(pathOrUrl.startsWith("http") ? pathOrUrl : this.baseUrl + pathOrUrl);
	}

	public WebElement find(By by) {
		return until((driver) -> {
			List<WebElement> found = driver.findElements(by);
			return (!found.isEmpty() && found.get(0).isDisplayed()) ? found.get(0) : null;
		});
	}

	public <T> T until(Function<WebDriver, T> condition) {
		return new WebDriverWait(this.driver, WAIT).until(condition::apply);
	}

	public String path() {
		String url = this.driver.getCurrentUrl();
		return (url != null && url.startsWith(this.baseUrl)) ? url.substring(this.baseUrl.length())
				: String.valueOf(url);
	}

	public Object script(String script, Object... arguments) {
		return ((JavascriptExecutor) this.driver).executeScript(script, arguments);
	}

	/** Saves the page as {@code target/dashboard-screenshots/<name>.png}. */
	public void screenshot(String name) {
		try {
			Files.createDirectories(SCREENSHOTS);
			File shot = this.driver.getScreenshotAs(OutputType.FILE);
			Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Saves a screenshot and checks the page with axe-core: no violation of serious or
	 * critical impact. The script is injected through the driver, which the page's
	 * Content-Security-Policy does not govern.
	 */
	public void check(String name) {
		screenshot(name);
		this.driver.executeScript(axeSource());
		Object result = this.driver.executeAsyncScript(
				"""
						var done = arguments[arguments.length - 1];
						axe.run(document, { resultTypes: ['violations'] }).then(function (results) {
						  done(results.violations.map(function (v) {
						    return { id: v.id, impact: v.impact, help: v.help,
						             nodes: v.nodes.map(function (n) { return n.target.join(' '); }).join(', ') };
						  }));
						}, function (error) { done([{ id: 'axe-error', impact: 'critical', help: String(error), nodes: '' }]); });
						""");
		@SuppressWarnings("unchecked")
		List<Map<String, Object>> violations = (List<Map<String, Object>>) result;
		assertThat(violations)
			.as("serious or critical accessibility violations on " + name + " (" + this.driver.getCurrentUrl() + ")")
			.filteredOn((violation) -> "serious".equals(violation.get("impact"))
					|| "critical".equals(violation.get("impact")))
			.isEmpty();
	}

	private static String axeSource() {
		try (InputStream in = Browser.class.getResourceAsStream("/axe.min.js")) {
			if (in == null) {
				throw new IllegalStateException("axe.min.js is not on the test classpath (com.deque.html.axe-core)");
			}
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	public void close() {
		try {
			this.driver.quit();
		}
		finally {
			this.service.stop();
			deleteProfile();
		}
	}

	private void deleteProfile() {
		try (var paths = Files.walk(this.profile)) {
			paths.sorted(java.util.Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
		}
		catch (IOException ex) {
			// a leftover temporary profile is harmless
		}
	}

}
