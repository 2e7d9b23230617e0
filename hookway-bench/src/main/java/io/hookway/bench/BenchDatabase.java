package io.hookway.bench;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** The benchmark's own database, reached over JDBC: created, seeded, read and dropped. */
final class BenchDatabase {

	/** The tables the dispatcher claims from and appends to. */
	static final List<String> QUEUE_TABLES = List.of("tasks", "webhook_messages", "webhook_deliveries",
			"delivery_attempts");

	private final String url;

	private final String adminJdbcUrl;

	private final String jdbcUrl;

	private final String name;

	BenchDatabase(String url) {
		this.url = url;
		URI uri = URI.create(url);
		String user = (uri.getUserInfo() != null) ? uri.getUserInfo() : "postgres";
		String credentials = "?user=" + user.split(":")[0]
				+ (user.contains(":") ? "&password=" + user.substring(user.indexOf(':') + 1) : "");
		String server = "jdbc:postgresql://" + uri.getHost() + ":" + ((uri.getPort() > 0) ? uri.getPort() : 5432);
		this.name = uri.getPath().substring(1);
		this.jdbcUrl = server + "/" + this.name + credentials;
		this.adminJdbcUrl = server + "/postgres" + credentials;
	}

	String url() {
		return this.url;
	}

	void recreate() throws SQLException {
		try (Connection connection = DriverManager.getConnection(this.adminJdbcUrl);
				Statement statement = connection.createStatement()) {
			statement.execute("drop database if exists \"" + this.name + "\" with (force)");
			statement.execute("create database \"" + this.name + "\"");
		}
	}

	void drop() throws SQLException {
		try (Connection connection = DriverManager.getConnection(this.adminJdbcUrl);
				Statement statement = connection.createStatement()) {
			statement.execute("drop database if exists \"" + this.name + "\" with (force)");
		}
	}

	String serverVersion() throws SQLException {
		try (Connection connection = DriverManager.getConnection(this.adminJdbcUrl)) {
			return connection.getMetaData().getDatabaseProductVersion();
		}
	}

	String setting(String name) throws SQLException {
		try (Connection connection = DriverManager.getConnection(this.adminJdbcUrl);
				PreparedStatement select = connection.prepareStatement("select current_setting(?)")) {
			select.setString(1, name);
			try (ResultSet rows = select.executeQuery()) {
				rows.next();
				return rows.getString(1);
			}
		}
	}

	/**
	 * Empties the queue tables between phases, so one phase's rows never load the next.
	 */
	void truncateQueues() throws SQLException {
		execute("truncate tasks, webhook_messages, webhook_deliveries, delivery_attempts");
	}

	long count(String sql) throws SQLException {
		try (Connection connection = DriverManager.getConnection(this.jdbcUrl);
				Statement statement = connection.createStatement();
				ResultSet rows = statement.executeQuery(sql)) {
			rows.next();
			return rows.getLong(1);
		}
	}

	/**
	 * Inserts {@code count} messages, each with one delivery due now, spread in turn over
	 * the endpoints whose URL is LIKE the pattern, in one transaction that the returned
	 * seed commits.
	 */
	Seed seed(String endpointUrlPattern, int count) throws SQLException {
		Connection connection = DriverManager.getConnection(this.jdbcUrl);
		try {
			connection.setAutoCommit(false);
			try (PreparedStatement insert = connection.prepareStatement(SEED)) {
				insert.setString(1, endpointUrlPattern);
				insert.setInt(2, count);
				int inserted = insert.executeUpdate();
				if (inserted != count) {
					throw new IllegalStateException("Seeded " + inserted + " deliveries instead of " + count
							+ " (no endpoint at " + endpointUrlPattern + "?)");
				}
			}
			return new Seed(connection);
		}
		catch (SQLException | RuntimeException ex) {
			connection.close();
			throw ex;
		}
	}

	/** Deliveries inserted and not committed yet; closing without a commit drops them. */
	static final class Seed implements AutoCloseable {

		private final Connection connection;

		private Seed(Connection connection) {
			this.connection = connection;
		}

		/** Commits the deliveries, from when they are due, and wakes the dispatchers. */
		void commit() throws SQLException {
			this.connection.commit();
			this.connection.setAutoCommit(true);
			try (Statement statement = this.connection.createStatement()) {
				statement.execute("select pg_notify('hookway_deliveries', '')");
			}
		}

		@Override
		public void close() throws SQLException {
			this.connection.close();
		}

	}

	/**
	 * Messages as the dispatcher writes them for a finished task (the payload is about
	 * 330 bytes), the n-th going to the endpoint n modulo their count.
	 */
	private static final String SEED = """
			with endpoint as (
			    select id, application_id, (row_number() over (order by id)) - 1 as slot, count(*) over () as endpoints
			    from webhook_endpoints where url like ? and deleted_at is null
			), planned as materialized (
			    select gen_random_uuid() as message_id, e.id as endpoint_id, e.application_id, n
			    from generate_series(1, ?) n join endpoint e on e.slot = n % e.endpoints
			), messages as (
			    insert into webhook_messages (id, application_id, event_type, task_id, payload)
			    select message_id, application_id, 'task.succeeded', null,
			           '{"type":"task.succeeded","timestamp":"' || to_char(now() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
			           || '","data":{"taskId":"tsk_bench' || lpad(n::text, 21, '0')
			           || '","route":"bench","status":"SUCCEEDED","attempts":1,"result":{"statusCode":200,'
			           || '"headers":{"content-type":"application/json"},"body":{"status":"created","orderId":"ord_7Q2M4K9X1C"}}}}'
			    from planned
			)
			insert into webhook_deliveries (message_id, endpoint_id, application_id, event_type, next_attempt_at)
			select message_id, endpoint_id, application_id, 'task.succeeded', now() from planned""";

	/** Flushes dirty pages, so that every measured window starts from the same state. */
	void checkpoint() throws SQLException {
		try (Connection connection = DriverManager.getConnection(this.adminJdbcUrl);
				Statement statement = connection.createStatement()) {
			statement.execute("checkpoint");
		}
	}

	/**
	 * The server's postmaster, as the parent of a backend, when the server runs on this
	 * machine; else 0.
	 */
	long postmasterPid() throws SQLException {
		try (Connection connection = DriverManager.getConnection(this.jdbcUrl);
				Statement statement = connection.createStatement();
				ResultSet rows = statement.executeQuery("select pg_backend_pid()")) {
			rows.next();
			// read while the backend is still there
			return ProcFs.parentPid(rows.getLong(1));
		}
	}

	/** Storage parameters of a table, such as its own autovacuum thresholds. */
	String tableOptions(String table) throws SQLException {
		try (Connection connection = DriverManager.getConnection(this.jdbcUrl);
				PreparedStatement select = connection.prepareStatement(
						"select coalesce(array_to_string(reloptions, ', '), '') from pg_class where relname = ?")) {
			select.setString(1, table);
			try (ResultSet rows = select.executeQuery()) {
				return rows.next() ? rows.getString(1) : "";
			}
		}
	}

	/**
	 * Live and dead row versions of the queue tables, as the statistics collector has
	 * them.
	 */
	List<TableTuples> tuples() throws SQLException {
		List<TableTuples> tables = new ArrayList<>();
		try (Connection connection = DriverManager.getConnection(this.jdbcUrl);
				PreparedStatement select = connection.prepareStatement(
						"select relname, n_live_tup, n_dead_tup, autovacuum_count from pg_stat_user_tables where relname = any(?) order by relname")) {
			select.setArray(1, connection.createArrayOf("text", QUEUE_TABLES.toArray()));
			try (ResultSet rows = select.executeQuery()) {
				while (rows.next()) {
					tables.add(new TableTuples(rows.getString(1), rows.getLong(2), rows.getLong(3), rows.getLong(4)));
				}
			}
		}
		return tables;
	}

	private void execute(String sql) throws SQLException {
		try (Connection connection = DriverManager.getConnection(this.jdbcUrl);
				Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
	}

	record TableTuples(String table, long live, long dead, long autovacuums) {
	}

}
