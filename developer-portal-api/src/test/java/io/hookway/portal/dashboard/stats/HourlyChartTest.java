package io.hookway.portal.dashboard.stats;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HourlyChartTest {

	@Test
	void drawsEachHourWithinTheChartAndKeepsEmptyHoursEmpty() {
		Instant start = Instant.parse("2026-12-01T00:00:00Z");
		Instant third = start.plus(2, ChronoUnit.HOURS);
		Instant last = start.plus(23, ChronoUnit.HOURS);
		HourlyChart chart = HourlyChart.of(start, Map.of(third, new HourlyChart.Hour(third, 4, 1, 40, 90), last,
				new HourlyChart.Hour(last, 2, 2, 10, 10)));
		assertThat(chart.hours()).hasSize(24);
		assertThat(chart.attempts()).isEqualTo(6);
		assertThat(chart.successPercent()).isEqualTo(50);
		assertThat(chart.maxLatencyMs()).isEqualTo(40);
		HourlyChart.Bar slow = chart.hours().get(2);
		assertThat(slow.label()).isEqualTo("02:00");
		assertThat(slow.successPercent()).isEqualTo(25);
		assertThat(Double.parseDouble(slow.height())).isEqualTo(40.0);
		assertThat(Double.parseDouble(slow.latencyY())).as("the slowest point is drawn whole").isEqualTo(6.0);
		assertThat(chart.hours().get(23).successPercent()).isEqualTo(100);
		assertThat(chart.hours().get(0).successPercent()).as("an hour without attempts").isEqualTo(-1);
		assertThat(chart.latencyPoints().split(" ")).hasSize(2);
	}

}
