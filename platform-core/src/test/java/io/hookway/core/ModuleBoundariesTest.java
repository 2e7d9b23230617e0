package io.hookway.core;

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
		ModuleBoundaries.verify("io.hookway.core",
				Map.of("event", Set.of("web"), "id", Set.of("crypto"), "openapi", Set.of("security", "web"), "security",
						Set.of("id", "lifecycle", "web"), "server", Set.of("web"), "web", Set.of("outbound", "queue"),
						"webhook", Set.of("crypto")));
	}

}
