package io.hookway.gateway;

import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.hookway.core.test.ModuleBoundaries;

/**
 * This module's feature packages and the ones each may use; no cycles, and the root
 * package is only the application and its wiring.
 */
class ModuleBoundariesTest {

	@Test
	void featurePackagesUseOnlyWhatTheyDeclare() {
		ModuleBoundaries.verify("io.hookway.gateway", Map.of("event", Set.of("idempotency", "store"), "ingest",
				Set.of("idempotency", "store"), "task", Set.of("store")));
	}

}
