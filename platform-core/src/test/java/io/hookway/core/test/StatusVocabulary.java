package io.hookway.core.test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.hookway.core.security.ApplicationStatus;
import io.hookway.core.task.TaskStatus;
import io.hookway.core.webhook.DeliveryStatus;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one vocabulary of statuses: every status column of the schema and the enum whose
 * constants are its values. SQL keeps its statuses as readable literals; this is what
 * holds them to the enums.
 */
public final class StatusVocabulary {

	/** Each status column, as {@code table.column}, and the enum naming its values. */
	public static final Map<String, Class<? extends Enum<?>>> COLUMNS = Map.of("applications.status",
			ApplicationStatus.class, "tasks.status", TaskStatus.class, "webhook_deliveries.status",
			DeliveryStatus.class);

	/** Quoted upper-case words in SQL that are no status: the time zone of timestamps. */
	private static final Set<String> NOT_STATUSES = Set.of("UTC");

	/**
	 * Two or more letters, so that Java's character literals ({@code 'T'}) are left out.
	 */
	private static final Pattern QUOTED_UPPER_CASE = Pattern.compile("'([A-Z][A-Z_]+)'");

	private StatusVocabulary() {
	}

	/** The constants of every status enum. */
	private static Set<String> statuses() {
		return COLUMNS.values()
			.stream()
			.flatMap((type) -> Stream.of(type.getEnumConstants()))
			.map(Enum::name)
			.collect(Collectors.toSet());
	}

	/**
	 * Fails naming each quoted upper-case word in the main Java sources of the module the
	 * test runs in that is neither a status enum's constant nor one of the few words
	 * known to be no status.
	 */
	public static void verifyMainSources() throws IOException {
		Path sources = Path.of("src", "main", "java");
		assertThat(sources).as("main sources of the module under test").isDirectory();
		Set<String> statuses = statuses();
		List<String> unknown = new ArrayList<>();
		int files = 0;
		try (Stream<Path> paths = Files.walk(sources)) {
			for (Path file : paths.filter((path) -> path.toString().endsWith(".java")).sorted().toList()) {
				files++;
				List<String> lines = Files.readAllLines(file);
				for (int i = 0; i < lines.size(); i++) {
					Matcher quoted = QUOTED_UPPER_CASE.matcher(lines.get(i));
					while (quoted.find()) {
						String word = quoted.group(1);
						if (!statuses.contains(word) && !NOT_STATUSES.contains(word)) {
							unknown.add(sources.relativize(file) + ":" + (i + 1) + ": '" + word + "'");
						}
					}
				}
			}
		}
		assertThat(files).as("Java files under %s", sources.toAbsolutePath()).isPositive();
		assertThat(unknown)
			.as("quoted upper-case words that are no constant of %s (nor one of %s)",
					COLUMNS.values().stream().map(Class::getSimpleName).sorted().toList(), NOT_STATUSES)
			.isEmpty();
	}

}
