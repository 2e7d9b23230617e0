package io.hookway.core.db;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.hookway.core.test.StatusVocabulary;
import io.hookway.core.test.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The migrated schema's CHECK constraints on status columns state exactly the constants
 * of the enums the code uses, and every status column has its enum.
 */
class StatusChecksTest {

	private static final Pattern TEXT_LITERAL = Pattern.compile("'([^']*)'::text");

	private static String url;

	@BeforeAll
	static void migrate() {
		url = TestDatabase.fresh("status_checks");
		Flyway.configure()
			.dataSource(TestDatabase.jdbcUrl(url), null, null)
			.locations("classpath:db/migration")
			.load()
			.migrate();
	}

	@AfterAll
	static void drop() {
		TestDatabase.drop(url);
	}

	@Test
	void everyStatusColumnHasItsEnum() throws SQLException {
		List<String> columns = new ArrayList<>();
		query("""
				select table_name || '.' || column_name from information_schema.columns
				where table_schema = current_schema() and data_type = 'text'
				  and (column_name like '%status' or column_name like '%state')""",
				(row) -> columns.add(row.getString(1)));
		assertThat(columns).containsExactlyInAnyOrderElementsOf(StatusVocabulary.COLUMNS.keySet());
	}

	@Test
	void checkConstraintsStateTheEnumsConstants() throws SQLException {
		Map<String, List<String>> checked = new HashMap<>();
		query("""
				select c.relname || '.' || a.attname, pg_get_constraintdef(k.oid)
				from pg_constraint k
				join pg_class c on c.oid = k.conrelid
				join pg_attribute a on a.attrelid = c.oid and a.attnum = any (k.conkey)
				where k.contype = 'c' and c.relnamespace = current_schema()::regnamespace""", (row) -> {
			String column = row.getString(1);
			if (StatusVocabulary.COLUMNS.containsKey(column)) {
				assertThat(checked).as("one CHECK constraint on %s", column).doesNotContainKey(column);
				checked.put(column, literals(row.getString(2)));
			}
		});
		StatusVocabulary.COLUMNS.forEach(
				(column, type) -> assertThat(checked.get(column)).as("values the CHECK constraint on %s allows", column)
					.containsExactlyInAnyOrderElementsOf(constants(type)));
	}

	@Test
	void defaultsAreConstantsOfTheEnums() throws SQLException {
		Map<String, String> defaults = new HashMap<>();
		query("""
				select table_name || '.' || column_name, column_default from information_schema.columns
				where table_schema = current_schema() and column_default is not null""", (row) -> {
			if (StatusVocabulary.COLUMNS.containsKey(row.getString(1))) {
				defaults.put(row.getString(1), row.getString(2));
			}
		});
		assertThat(defaults).as("status columns with a default").isNotEmpty();
		defaults.forEach((column, declared) -> assertThat(literals(declared)).as("default of %s", column)
			.singleElement()
			.isIn(constants(StatusVocabulary.COLUMNS.get(column))));
	}

	private static List<String> constants(Class<? extends Enum<?>> type) {
		return Stream.of(type.getEnumConstants()).map(Enum::name).toList();
	}

	private static List<String> literals(String definition) {
		List<String> values = new ArrayList<>();
		Matcher literal = TEXT_LITERAL.matcher(definition);
		while (literal.find()) {
			values.add(literal.group(1));
		}
		return values;
	}

	private static void query(String sql, RowConsumer consumer) throws SQLException {
		try (Connection connection = DriverManager.getConnection(TestDatabase.jdbcUrl(url));
				PreparedStatement statement = connection.prepareStatement(sql);
				ResultSet rows = statement.executeQuery()) {
			while (rows.next()) {
				consumer.accept(rows);
			}
		}
	}

	private interface RowConsumer {

		void accept(ResultSet row) throws SQLException;

	}

}
