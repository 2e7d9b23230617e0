package io.hookway.core.test;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.syntax.ArchRuleDefinition;
import com.tngtech.archunit.library.dependencies.SlicesRuleDefinition;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The package rules of a module's main code. Its feature packages are the direct
 * sub-packages of its root package; the root holds the application class and its wiring
 * only. Feature packages form no cycle, use one another only as the module declares, and
 * use the root package only for its settings ({@code @ConfigurationProperties} records).
 */
public final class ModuleBoundaries {

	private ModuleBoundaries() {
	}

	/**
	 * Checks the rules for the module under {@code rootPackage}.
	 * @param rootPackage the module's root package, such as {@code io.hookway.gateway}
	 * @param allowed for each feature package that uses others, the ones it may use
	 */
	public static void verify(String rootPackage, Map<String, Set<String>> allowed) {
		JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
			.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
			.importPackages(rootPackage);
		assertThat(classes).as("classes under %s", rootPackage).isNotEmpty();
		SlicesRuleDefinition.slices().matching(rootPackage + ".(*)..").should().beFreeOfCycles().check(classes);
		ArchRuleDefinition.noClasses()
			.that()
			.resideInAPackage(rootPackage + ".*..")
			.should()
			.dependOnClassesThat(DescribedPredicate.describe("are in the root package and no settings",
					(JavaClass target) -> target.getPackageName().equals(rootPackage) && !isSettings(target)))
			.check(classes);
		assertThat(featureDependencies(rootPackage, classes))
			.as("feature packages of %s and those they use", rootPackage)
			.isEqualTo(new TreeMap<>(allowed));
	}

	private static boolean isSettings(JavaClass type) {
		JavaClass outer = type;
		while (outer.getEnclosingClass().isPresent()) {
			outer = outer.getEnclosingClass().get();
		}
		return outer.isAnnotatedWith(ConfigurationProperties.class);
	}

	private static Map<String, Set<String>> featureDependencies(String rootPackage, JavaClasses classes) {
		Map<String, Set<String>> uses = new TreeMap<>();
		for (JavaClass type : classes) {
			String from = feature(rootPackage, type.getPackageName());
			if (from == null) {
				continue;
			}
			for (Dependency dependency : type.getDirectDependenciesFromSelf()) {
				String to = feature(rootPackage, dependency.getTargetClass().getPackageName());
				if (to != null && !to.equals(from)) {
					uses.computeIfAbsent(from, (key) -> new TreeSet<>()).add(to);
				}
			}
		}
		return uses;
	}

	private static @Nullable String feature(String rootPackage, String packageName) {
		if (!packageName.startsWith(rootPackage + ".")) {
			return null;
		}
		String rest = packageName.substring(rootPackage.length() + 1);
		int dot = rest.indexOf('.');
		return (dot != -1) ? rest.substring(0, dot) : rest;
	}

}
