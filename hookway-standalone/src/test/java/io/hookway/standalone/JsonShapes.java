package io.hookway.standalone;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import tools.jackson.databind.JsonNode;

/**
 * Compares two JSON documents by shape: the same fields, holding values of the same JSON
 * types, at every depth. Values themselves (ids, times) may differ; an array's items are
 * compared with the other array's item at the same place, or its last one.
 */
final class JsonShapes {

	private JsonShapes() {
	}

	/** Where the two differ in shape, as JSON paths; empty when they do not. */
	static List<String> differences(JsonNode expected, JsonNode actual) {
		List<String> differences = new ArrayList<>();
		compare("$", expected, actual, differences);
		return differences;
	}

	private static void compare(String path, JsonNode expected, JsonNode actual, List<String> differences) {
		if (expected.getNodeType() != actual.getNodeType()) {
			differences.add(path + ": " + expected.getNodeType() + " became " + actual.getNodeType());
			return;
		}
		if (expected.isObject()) {
			Set<String> names = new TreeSet<>(expected.propertyNames());
			names.addAll(actual.propertyNames());
			for (String name : names) {
				if (!expected.has(name) || !actual.has(name)) {
					differences.add(path + "." + name + ": " + (expected.has(name) ? "gone" : "new"));
				}
				else {
					compare(path + "." + name, expected.get(name), actual.get(name), differences);
				}
			}
		}
		else if (expected.isArray()) {
			if (expected.isEmpty() != actual.isEmpty()) {
				differences.add(path + ": " + (expected.isEmpty() ? "no longer empty" : "now empty"));
				return;
			}
			for (int i = 0; i < actual.size(); i++) {
				compare(path + "[" + i + "]", expected.get(Math.min(i, expected.size() - 1)), actual.get(i),
						differences);
			}
		}
	}

}
