package io.hookway.dispatcher.execution;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import io.hookway.core.id.IdKind;
import io.hookway.core.queue.QueueNotifier;
import io.hookway.core.route.RouteSettings;
import io.hookway.dispatcher.DispatcherSettings;
import io.hookway.dispatcher.delivery.WebhookDeliverer;
import io.hookway.dispatcher.queue.Breakers;
import io.hookway.dispatcher.queue.Claim;
import io.hookway.dispatcher.queue.Claimed;
import io.hookway.dispatcher.queue.Destination;
import io.hookway.dispatcher.queue.Destinations;
import io.hookway.dispatcher.queue.EngineLifecycle;
import io.hookway.dispatcher.queue.Lanes;
import io.hookway.dispatcher.queue.QueueEngine;
import io.hookway.dispatcher.queue.QueueSignals;
import io.hookway.dispatcher.queue.RetryPolicy;
import io.hookway.dispatcher.queue.WorkQueue;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

/**
 * Runs accepted tasks against their upstreams, on the {@link QueueEngine}: each route is
 * a destination with its {@code max-concurrency} slots and a breaker (10 s open), each
 * attempt is recorded by {@link TaskOutcomes}, retried by the route's
 * {@link RetryPolicy}. Tasks handed over to their upstream (202) are only finished, once
 * reported or past their deadline, and call no one.
 */
@Component
class TaskExecutor extends EngineLifecycle implements WorkQueue<ClaimedTask, TaskAttempt> {

	private static final Logger logger = LoggerFactory.getLogger(TaskExecutor.class);

	/** How long a route whose breaker opened is left alone before it is tried again. */
	private static final Duration BREAKER_OPEN = Duration.ofSeconds(10);

	private final RouteSettings routes;

	private final Map<String, RetryPolicy> policies;

	private final TaskClaims claims;

	private final TaskOutcomes outcomes;

	private final UpstreamClient upstream;

	private final WebhookDeliverer deliverer;

	private final Destinations destinations;

	private final QueueEngine<ClaimedTask, TaskAttempt> engine;

	TaskExecutor(DatabaseClient database, RouteSettings routes, DispatcherSettings settings, UpstreamClient upstream,
			JsonMapper json, WebhookDeliverer deliverer, QueueSignals signals, MeterRegistry meters) {
		routes.routes().forEach((name, route) -> {
			// a call outliving its lease would be made a second time by the worker that
			// takes the row over
			if (route.timeout().multipliedBy(4).compareTo(settings.lease().multipliedBy(3)) >= 0) {
				throw new IllegalStateException("hookway.routes." + name + ".timeout (" + route.timeout()
						+ ") must be under three quarters of hookway.dispatcher.lease (" + settings.lease() + ")");
			}
		});
		this.routes = routes;
		this.policies = routes.routes()
			.entrySet()
			.stream()
			.collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, (entry) -> RetryPolicy.of(entry.getValue())));
		this.upstream = upstream;
		this.deliverer = deliverer;
		this.claims = new TaskClaims(database, settings, json);
		this.outcomes = new TaskOutcomes(database, json, new Completions(database, settings, 2), meters,
				settings.maxResponseSize().toString());
		this.destinations = Destinations.kept(
				Breakers.openingFor(BREAKER_OPEN, "route", (name) -> name,
						(outcome) -> outcome instanceof TaskAttempt attempt && attempt.upstreamInTrouble()),
				1, BREAKER_OPEN, 0);
		Breakers.publishPerRoute(this.destinations.breakers(), routes.routes().keySet(), meters);
		this.engine = new QueueEngine<>("task executor", settings, this);
		signals.onSignal(QueueNotifier.TASKS, this.engine::wake);
	}

	@Override
	public Mono<Long> promote() {
		return Lanes.promoteAll(this.claims::promote);
	}

	/**
	 * Only routes this process knows are claimed, so a dispatcher never holds a task it
	 * cannot run; and of each no more than its free slots, which go round the
	 * applications with tasks for it.
	 */
	@Override
	public Mono<Claimed<ClaimedTask>> claim(Claim claim) {
		Map<String, Integer> free = new HashMap<>();
		this.routes.routes().forEach((name, route) -> {
			int slots = this.destinations.freeSlots(name, route.maxConcurrency());
			if (slots > 0) {
				free.put(name, slots);
			}
		});
		return this.claims.claim(claim, free);
	}

	@Override
	public @Nullable Destination destination(ClaimedTask task) {
		return task.handedOver() ? null : this.destinations.hold(task.route(), route(task).maxConcurrency());
	}

	@Override
	public Mono<TaskAttempt> attempt(ClaimedTask task) {
		if (task.handedOver()) {
			return Mono.just(TaskAttempt.NO_CALL);
		}
		return this.upstream.call(task, route(task))
			.map((response) -> new TaskAttempt(response, null))
			.onErrorResume((ex) -> Mono.just(new TaskAttempt(null, ex)));
	}

	@Override
	public Mono<Void> record(ClaimedTask task, TaskAttempt attempt) {
		return this.outcomes.record(task, route(task), this.policies.get(task.route()), attempt)
			.doOnNext(this.deliverer::deliverLeased)
			.then()
			.onErrorResume((ex) -> {
				// the outcome could not be written: the lease runs out and the task is
				// run again
				String taskId = IdKind.TASK.format(task.id());
				logger.atWarn()
					.addKeyValue("taskId", taskId)
					.addKeyValue("route", task.route())
					.log("Could not record the outcome of task {}: {}", taskId, ex.toString());
				return Mono.empty();
			});
	}

	@Override
	public Mono<Void> handBack(List<ClaimedTask> tasks, List<Duration> delays) {
		return this.claims.handBack(tasks, delays);
	}

	private RouteSettings.Route route(ClaimedTask task) {
		return this.routes.route(task.route()).orElseThrow();
	}

	@Override
	protected QueueEngine<?, ?> engine() {
		return this.engine;
	}

}
