package io.hookway.portal;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.hookway.core.id.IdKind;
import io.hookway.core.test.PlatformClient;
import io.hookway.core.test.TestDatabase;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /v1/messages}: an application's messages newest first, as they were signed,
 * filtered by type and creation time, paged by cursor and by payload bytes; and one
 * message, seen by its application only.
 */
@SpringBootTest(classes = PortalApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class MessagesTest {

	private static final String OPERATOR = "messages-operator";

	private static final String OPERATOR_SECRET = "messages-operator-secret-0123456789";

	@LocalServerPort
	int port;

	PlatformClient portal;

	/** Four messages a second apart, an hour ago, and one of another application. */
	Instant base;

	UUID applicationId;

	String token;

	String strangerToken;

	List<String> oldestFirst;

	List<String> newestFirst;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		TestDatabase.register(registry);
		registry.add("hookway.portal.operator.client-id", () -> OPERATOR);
		registry.add("hookway.portal.operator.client-secret", () -> OPERATOR_SECRET);
		registry.add("hookway.portal.limits.message-page-bytes", () -> "1KB");
		TestDatabase.keepConnectionsFew(registry);
	}

	@BeforeEach
	void setUp() {
		this.portal = new PlatformClient(this.port);
		String operator = this.portal.token(OPERATOR, OPERATOR_SECRET);
		Map<String, Object> application = this.portal.createApplication(operator, "messages-owner");
		this.applicationId = IdKind.APPLICATION.parse((String) application.get("id")).orElseThrow();
		this.token = this.portal.token((String) application.get("clientId"), (String) application.get("clientSecret"));
		Map<String, Object> stranger = this.portal.createApplication(operator, "messages-stranger");
		this.strangerToken = this.portal.token((String) stranger.get("clientId"),
				(String) stranger.get("clientSecret"));
		this.base = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
		this.oldestFirst = List.of(stored("invoice.paid", 1, "{\"amount\": 1.10, \"units\":12345678901234567890123}"),
				stored("invoice.item.added", 2, "[1, 2.50e3]"), stored("invoice", 3, "\"plain\""),
				stored("order.shipped", 4, "{\"order\":{\"id\":7}}"));
		this.newestFirst = new ArrayList<>(this.oldestFirst);
		Collections.reverse(this.newestFirst);
		StoredMessages.message(IdKind.APPLICATION.parse((String) stranger.get("id")).orElseThrow(), "invoice.paid",
				this.base.plusSeconds(5), "{}");
	}

	@Test
	void listShowsTheApplicationsMessagesNewestFirstWithTheirSignedTimestampAndDataVerbatim() {
		assertThat(ids(page("/v1/messages"))).containsExactlyElementsOf(this.newestFirst);
		Map<String, Object> oldest = data(page("/v1/messages")).get(3);
		assertThat(oldest).containsEntry("type", "invoice.paid")
			.containsEntry("timestamp", StoredMessages.envelopeTime(this.base.plusSeconds(1)))
			.containsOnlyKeys("id", "type", "timestamp", "data");
		String raw = get("/v1/messages").expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(raw).contains("\"data\":{\"amount\": 1.10, \"units\":12345678901234567890123}")
			.contains("\"data\":[1, 2.50e3]")
			.contains("\"data\":\"plain\"");
		assertThat(data(page("/v1/messages", this.strangerToken))).singleElement()
			.satisfies((message) -> assertThat(this.newestFirst).doesNotContain((String) message.get("id")));
	}

	@Test
	void typeIsAnExactNameOrAPrefixWildcardAsSubscriptionsAre() {
		assertThat(ids(page("/v1/messages?type=invoice.paid"))).containsExactly(this.oldestFirst.get(0));
		assertThat(ids(page("/v1/messages?type=invoice.*"))).containsExactly(this.oldestFirst.get(1),
				this.oldestFirst.get(0));
		assertThat(ids(page("/v1/messages?type=invoice"))).containsExactly(this.oldestFirst.get(2));
		assertThat(ids(page("/v1/messages?type=*"))).containsExactlyElementsOf(this.newestFirst);
		assertThat(ids(page("/v1/messages?type=refund.*"))).isEmpty();
	}

	@Test
	void afterAndBeforeBoundTheCreationTimeStrictlyInAnyOffset() {
		// OffsetDateTime.toString() leaves out ":00" seconds, which RFC 3339 requires
		String after = DateTimeFormatter.ISO_OFFSET_DATE_TIME
			.format(this.base.plusSeconds(1).atOffset(ZoneOffset.ofHours(2)));
		assertThat(ids(get("/v1/messages?after={after}", after))).containsExactly(this.oldestFirst.get(3),
				this.oldestFirst.get(2), this.oldestFirst.get(1));
		assertThat(ids(get("/v1/messages?before={before}", this.base.plusSeconds(3).toString())))
			.containsExactly(this.oldestFirst.get(1), this.oldestFirst.get(0));
		assertThat(ids(get("/v1/messages?after={after}&before={before}&type=invoice.*", after,
				this.base.plusSeconds(4).toString())))
			.containsExactly(this.oldestFirst.get(1));
	}

	@Test
	void cursorPagesThroughEveryMessageOnce() {
		List<String> seen = new ArrayList<>();
		Map<String, Object> page = page("/v1/messages?limit=3");
		seen.addAll(ids(page));
		assertThat(seen).hasSize(3);
		page = page("/v1/messages?limit=3&cursor=" + page.get("nextCursor"));
		seen.addAll(ids(page));
		assertThat(page.get("nextCursor")).isNull();
		assertThat(seen).containsExactlyElementsOf(this.newestFirst);
	}

	@Test
	void aPageStopsBeforeItsPayloadsPassTheByteBudgetAndTheCursorGoesOn() {
		String big = "\"" + "x".repeat(600) + "\"";
		String older = stored("report.ready", 10, big);
		String newer = stored("report.ready", 11, big);
		Map<String, Object> first = page("/v1/messages?type=report.ready");
		assertThat(ids(first)).containsExactly(newer);
		Map<String, Object> second = page("/v1/messages?type=report.ready&cursor=" + first.get("nextCursor"));
		assertThat(ids(second)).containsExactly(older);
		assertThat(second.get("nextCursor")).isNull();
	}

	@Test
	void oneMessageIsShownToItsApplicationOnly() {
		String oldest = this.oldestFirst.get(0);
		this.portal.http()
			.get()
			.uri("/v1/messages/{id}", oldest)
			.headers((headers) -> headers.setBearerAuth(this.token))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.id")
			.isEqualTo(oldest)
			.jsonPath("$.data.amount")
			.isEqualTo(1.10)
			.jsonPath("$.deliveries")
			.isEmpty();
		for (String id : List.of(oldest, IdKind.MESSAGE.format(IdKind.newUuid()), "msg_not-an-id")) {
			this.portal.http()
				.get()
				.uri("/v1/messages/{id}", id)
				.headers((headers) -> headers.setBearerAuth(this.strangerToken))
				.exchange()
				.expectStatus()
				.isNotFound();
		}
	}

	@Test
	void badParametersAreRefusedNamingThem() {
		refused("/v1/messages?after={value}", "yesterday", "after");
		refused("/v1/messages?before={value}", "2026-11-22T10:00Z", "before");
		refused("/v1/messages?before={value}", "2026-11-22T10:00:00", "before");
		refused("/v1/messages?before={value}&after=2026-11-22T10:00:00Z", "2026-11-22T09:00:00Z", "before");
		refused("/v1/messages?type={value}", "Invoice.Paid", "type");
		refused("/v1/messages?type={value}", "invoice.*.paid", "type");
		refused("/v1/messages?limit={value}", "101", "limit");
		get("/v1/messages?cursor=not-a-cursor").expectStatus().isBadRequest();
	}

	private String stored(String type, int second, String data) {
		return IdKind.MESSAGE
			.format(StoredMessages.message(this.applicationId, type, this.base.plusSeconds(second), data));
	}

	private void refused(String uri, String value, String parameter) {
		get(uri, value).expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentType("application/problem+json")
			.expectBody()
			.jsonPath("$.errors[0].field")
			.isEqualTo(parameter);
	}

	private WebTestClient.ResponseSpec get(String uri, Object... variables) {
		return this.portal.http()
			.get()
			.uri(uri, variables)
			.headers((headers) -> headers.setBearerAuth(this.token))
			.exchange();
	}

	private Map<String, Object> page(String uri) {
		return page(uri, this.token);
	}

	private Map<String, Object> page(String uri, String bearer) {
		return this.portal.http()
			.get()
			.uri(uri)
			.headers((headers) -> headers.setBearerAuth(bearer))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(PlatformClient.JSON)
			.returnResult()
			.getResponseBody();
	}

	private static List<String> ids(WebTestClient.ResponseSpec response) {
		return ids(response.expectStatus().isOk().expectBody(PlatformClient.JSON).returnResult().getResponseBody());
	}

	private static List<String> ids(Map<String, Object> page) {
		return data(page).stream().map((message) -> (String) message.get("id")).toList();
	}

	@SuppressWarnings("unchecked")
	private static List<Map<String, Object>> data(Map<String, Object> page) {
		return (List<Map<String, Object>>) page.get("data");
	}

}
